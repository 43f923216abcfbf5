"""`postback init` writes a starter config with fresh secrets and a demo app."""

import subprocess
import sys
from pathlib import Path

from postback.settings import load_settings


def init(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "postback", "init", str(path), *options]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_init_writes_a_valid_config_with_fresh_secrets(tmp_path: Path) -> None:
    first, second = tmp_path / "one.toml", tmp_path / "two.toml"
    assert init(first).returncode == 0
    assert init(second).returncode == 0
    one, two = load_settings(first, environ={}), load_settings(second, environ={})
    assert [app.id for app in one.apps] == ["demo"]
    assert set(one.apps[0].dialects) == {
        "appsflyer_web", "chartboost", "segmentstream", "install_postback"
    }  # fmt: skip
    assert one.server.admin_token != two.server.admin_token
    assert len(one.server.admin_token) >= 32
    assert first.stat().st_mode & 0o077 == 0


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    config = tmp_path / "postback.toml"
    config.write_text("# mine\n")
    refused = init(config)
    assert refused.returncode == 1
    assert "exists" in refused.stderr
    assert config.read_text() == "# mine\n"
    assert init(config, "--force").returncode == 0
    assert load_settings(config, environ={}).apps
