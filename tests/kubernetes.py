"""Rendering the Kubernetes manifests of a bake (use_kubernetes), for the tests that check them.

`kubectl kustomize` renders an overlay as `kubectl apply -k` would send it; the rendered
objects are what the policy checks and the schema validation look at.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.options import ALL_ON, Combo

OVERLAYS = ("staging", "production")
# Every mix of the options that change the manifests: Celery (worker, beat), Flower,
# GraphQL (a route), Sentry (an egress port).
KUBERNETES_COMBOS = (
    Combo("kubernetes_defaults", {"use_kubernetes": "y"}),
    Combo("kubernetes_without_celery", {"use_kubernetes": "y", "use_celery": "n"}),
    ALL_ON,
)


def kubectl() -> str:
    found = shutil.which("kubectl")
    assert found, "kubectl is not installed (`.ci/run` needs it: Debian's kubectl package)"
    return found


@dataclass(frozen=True)
class Rendered:
    overlay: str
    objects: list[dict]

    def of_kind(self, kind: str) -> list[dict]:
        return [o for o in self.objects if o["kind"] == kind]

    def named(self, kind: str, name: str) -> dict:
        [found] = [o for o in self.of_kind(kind) if o["metadata"]["name"] == name]
        return found

    @property
    def workloads(self) -> list[dict]:
        return self.of_kind("Deployment") + self.of_kind("Job")

    def config(self) -> dict[str, str]:
        [config_map] = self.of_kind("ConfigMap")
        return config_map["data"]


def render(project: Path, overlay: str) -> Rendered:
    result = subprocess.run(
        [kubectl(), "kustomize", f"deploy/kubernetes/overlays/{overlay}"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"kubectl kustomize {overlay} failed:\n{result.stderr}"
    return Rendered(overlay, [o for o in yaml.safe_load_all(result.stdout) if o])


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def containers(workload: dict, *, init: bool = True) -> list[dict]:
    spec = pod_spec(workload)
    return [*(spec.get("initContainers", []) if init else []), *spec["containers"]]
