"""use_kubernetes: every overlay renders, validates against the Kubernetes schemas offline,
and keeps the rules a cluster operator checks in a review."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.baking import describe
from tests.conftest import Baker
from tests.files import tool
from tests.kubernetes import (
    KUBERNETES_COMBOS,
    OVERLAYS,
    Rendered,
    containers,
    pod_spec,
    render,
)
from tests.options import Combo

# The oldest Kubernetes release still supported upstream when this was written; the
# manifests use nothing newer.
KUBERNETES_VERSION = "1.33.0"

each_overlay = pytest.mark.parametrize(
    ("combo", "overlay"),
    [pytest.param(c, o, id=f"{c}-{o}") for c in KUBERNETES_COMBOS for o in OVERLAYS],
)


@pytest.fixture
def rendered(baked: Baker, combo: Combo, overlay: str) -> Rendered:
    return render(baked(combo), overlay)


def _expected_workloads(combo: Combo) -> set[tuple[str, str]]:
    answers = combo.context
    expected = {("Deployment", "web"), ("Job", "migrate")}
    if answers["use_celery"] == "y":
        expected |= {("Deployment", "worker"), ("Deployment", "beat")}
    if answers["use_flower"] == "y":
        expected.add(("Deployment", "flower"))
    return expected


@each_overlay
def test_overlay_validates_against_the_kubernetes_schemas(
    baked: Baker, combo: Combo, overlay: str, tmp_path: Path
) -> None:
    project = baked(combo)
    manifest = tmp_path / f"{overlay}.yaml"
    manifest.write_text(
        subprocess.run(
            ["kubectl", "kustomize", f"deploy/kubernetes/overlays/{overlay}"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    result = subprocess.run(
        [tool("kubernetes-validate"), "--strict", "--quiet", "-k", KUBERNETES_VERSION, manifest],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, describe(result)


def test_the_schema_validation_refuses_a_broken_manifest(tmp_path: Path) -> None:
    # The check above must be able to fail: a Deployment without its selector does.
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        "spec: {template: {spec: {containers: [{name: web, image: x:1}]}}}\n"
    )
    result = subprocess.run(
        [tool("kubernetes-validate"), "--strict", "--quiet", "-k", KUBERNETES_VERSION, broken],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0, describe(result)


@each_overlay
def test_overlay_runs_exactly_the_chosen_workloads(rendered: Rendered, combo: Combo) -> None:
    found = {(w["kind"], w["metadata"]["name"]) for w in rendered.workloads}
    assert found == _expected_workloads(combo)
    assert not rendered.of_kind("Secret"), "a Secret (with values) is committed"


@each_overlay
def test_every_container_is_unprivileged_read_only_and_bounded(rendered: Rendered) -> None:
    problems = []
    for workload in rendered.workloads:
        name = workload["metadata"]["name"]
        pod = pod_spec(workload)
        if pod["securityContext"].get("runAsNonRoot") is not True:
            problems.append(f"{name}: the pod may run as root")
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: mounts an API token it does not need")
        mounts_tmp = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        for container in containers(workload):
            where = f"{name}/{container['name']}"
            security = container.get("securityContext", {})
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: privilege escalation allowed")
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: writable root file system")
            if security.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where}: capabilities not dropped")
            tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
            if not tmp or tmp[0]["name"] not in mounts_tmp:
                problems.append(f"{where}: no writable /tmp")
            for bound in ("requests", "limits"):
                if set(container.get("resources", {}).get(bound, {})) != {"cpu", "memory"}:
                    problems.append(f"{where}: no cpu and memory {bound}")
            image = container["image"]
            if ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest"):
                problems.append(f"{where}: image {image} has no fixed tag")
    assert not problems, "\n".join(problems)


@each_overlay
def test_every_long_running_container_is_probed(rendered: Rendered) -> None:
    problems = []
    for deployment in rendered.of_kind("Deployment"):
        for container in containers(deployment, init=False):
            where = f"{deployment['metadata']['name']}/{container['name']}"
            if "livenessProbe" not in container:
                problems.append(f"{where}: no liveness probe")
            if container.get("ports") and "readinessProbe" not in container:
                problems.append(f"{where}: serves a port but has no readiness probe")
    assert not problems, "\n".join(problems)


@each_overlay
def test_web_is_probed_on_the_health_endpoints_with_an_allowed_host(
    rendered: Rendered,
) -> None:
    [web] = pod_spec(rendered.named("Deployment", "web"))["containers"]
    allowed = rendered.config()["DJANGO_ALLOWED_HOSTS"].split(",")
    paths = {probe: web[probe]["httpGet"]["path"] for probe in ("livenessProbe", "readinessProbe")}
    assert paths == {"livenessProbe": "/health/live/", "readinessProbe": "/health/ready/"}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        headers = {h["name"]: h["value"] for h in web[probe]["httpGet"]["httpHeaders"]}
        assert headers["Host"] in allowed, f"{probe} asks with a host Django refuses"


@each_overlay
def test_the_worker_is_probed_by_celery_ping_of_its_own_node(
    rendered: Rendered, combo: Combo
) -> None:
    if combo.context["use_celery"] == "n":
        assert not [d for d in rendered.of_kind("Deployment") if d["metadata"]["name"] == "worker"]
        return
    [worker] = pod_spec(rendered.named("Deployment", "worker"))["containers"]
    command = " ".join(worker["livenessProbe"]["exec"]["command"])
    assert "manage.py celery_ping" in command
    assert "celery@$HOSTNAME" in command


@each_overlay
def test_beat_runs_exactly_once(rendered: Rendered, combo: Combo) -> None:
    if combo.context["use_celery"] == "n":
        return
    beat = rendered.named("Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    # The old scheduler is gone before a new one starts: never two beats at once.
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in rendered.of_kind("HorizontalPodAutoscaler")
    }
    assert "beat" not in scaled


@each_overlay
def test_web_and_worker_autoscale_and_keep_a_disruption_budget(
    rendered: Rendered, combo: Combo
) -> None:
    scaled = {
        h["spec"]["scaleTargetRef"]["name"]: h for h in rendered.of_kind("HorizontalPodAutoscaler")
    }
    budgets = {
        budget["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]: budget["spec"]
        for budget in rendered.of_kind("PodDisruptionBudget")
    }
    tiers = {"web", "worker"} if combo.context["use_celery"] == "y" else {"web"}
    assert set(scaled) == tiers
    assert set(budgets) == tiers
    for tier in tiers:
        replicas = scaled[tier]["spec"]
        assert 1 <= replicas["minReplicas"] < replicas["maxReplicas"]
        budget = budgets[tier]
        # A budget the fewest replicas can never meet would block every node drain.
        if "minAvailable" in budget:
            assert budget["minAvailable"] < replicas["minReplicas"], (
                f"{tier}'s budget blocks drains"
            )
        else:
            assert budget["maxUnavailable"] >= 1


def _python_value(path: Path, name: str) -> object:
    """A module-level constant of a baked Python file, evaluated (e.g. `6 * 60`)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return eval(compile(ast.Expression(node.value), str(path), "eval"))
    raise AssertionError(f"{path.name} defines no {name}")


@each_overlay
def test_grace_periods_outlast_gunicorn_and_celery(
    baked: Baker, rendered: Rendered, combo: Combo
) -> None:
    project = baked(combo)
    web = pod_spec(rendered.named("Deployment", "web"))
    graceful = _python_value(project / "gunicorn.conf.py", "graceful_timeout")
    assert web["terminationGracePeriodSeconds"] > graceful
    if combo.context["use_celery"] == "y":
        limit = _python_value(
            project / "config/settings/options/celery.py", "CELERY_TASK_TIME_LIMIT"
        )
        worker = pod_spec(rendered.named("Deployment", "worker"))
        assert worker["terminationGracePeriodSeconds"] > limit


@each_overlay
def test_ingress_serves_the_allowed_host_over_tls_and_keeps_the_probes_inside(
    rendered: Rendered,
) -> None:
    [ingress] = rendered.of_kind("Ingress")
    config = rendered.config()
    [rule] = ingress["spec"]["rules"]
    assert config["DJANGO_ALLOWED_HOSTS"] == rule["host"]
    assert config["DJANGO_CSRF_TRUSTED_ORIGINS"] == f"https://{rule['host']}"
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    assert "cert-manager.io/cluster-issuer" in ingress["metadata"]["annotations"]
    paths = [p["path"] for p in rule["http"]["paths"]]
    assert "/api/" in paths
    assert not [p for p in paths if p in {"/", "/health/"} or p.startswith("/metrics")]
    # One proxy in front: the client address DRF throttles on is the one it reports.
    assert config["DJANGO_NUM_PROXIES"] == "1"


@each_overlay
def test_network_policies_deny_by_default_and_admit_only_the_ingress_controller(
    rendered: Rendered, combo: Combo
) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in rendered.of_kind("NetworkPolicy")}
    deny = policies["default-deny"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    admitted = {
        name: rule for name, policy in policies.items() for rule in policy.get("ingress", [])
    }
    expected = {"web-from-ingress-controller"}
    if combo.context["use_metrics"] == "y":
        expected.add("metrics-from-monitoring")
        [monitoring] = admitted["metrics-from-monitoring"]["from"]
        assert monitoring["namespaceSelector"]["matchLabels"] == {
            "kubernetes.io/metadata.name": "monitoring"
        }
    assert set(admitted) == expected
    rule = admitted["web-from-ingress-controller"]
    assert rule["ports"] == [{"port": 8000}]
    [source] = rule["from"]
    assert source["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }


@each_overlay
def test_overlays_differ_by_namespace_host_and_image_tag(rendered: Rendered, combo: Combo) -> None:
    namespaces = {o["metadata"].get("namespace") for o in rendered.objects}
    assert len(namespaces) == 1
    [namespace] = namespaces
    slug = combo.context["project_slug"].replace("_", "-")
    assert namespace == (slug if rendered.overlay == "production" else f"{slug}-staging")
    host = rendered.config()["DJANGO_ALLOWED_HOSTS"]
    domain = combo.context["domain_name"]
    assert host == (domain if rendered.overlay == "production" else f"staging.{domain}")
    images = {c["image"] for w in rendered.workloads for c in containers(w)}
    assert len(images) == 1
    assert re.fullmatch(rf".+/{slug}:{re.escape(combo.context['version'])}", images.pop())


@pytest.mark.parametrize("combo", KUBERNETES_COMBOS, ids=str)
def test_prometheus_monitors_scrape_with_the_bearer_token(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    monitoring = project / "deploy/kubernetes/monitoring"
    if combo.context["use_metrics"] == "n":
        assert not monitoring.exists()
        return
    result = subprocess.run(
        ["kubectl", "kustomize", str(monitoring)], capture_output=True, text=True, check=True
    )
    monitors = [m for m in yaml.safe_load_all(result.stdout) if m]
    kinds = {m["kind"] for m in monitors}
    assert kinds == (
        {"ServiceMonitor", "PodMonitor"}
        if combo.context["use_celery"] == "y"
        else {"ServiceMonitor"}
    )
    for monitor in monitors:
        [endpoint] = monitor["spec"].get("endpoints") or monitor["spec"]["podMetricsEndpoints"]
        assert endpoint["path"] == "/metrics"
        assert endpoint["bearerTokenSecret"] == {"name": "app-secrets", "key": "METRICS_TOKEN"}
