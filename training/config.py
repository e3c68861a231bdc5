"""Named network configurations: 'default' fits DESIGN.md section 6 (<= 12 M parameters, ~15 GFLOP per forward at
128x128); 'tiny' is for tests and CPU dry runs."""

from __future__ import annotations

from .unet import UNetConfig

CONFIGS: dict[str, UNetConfig] = {
    # 7.59 M parameters, 13.25 GFLOP per 128x128 forward (python3 -m training.train --describe).
    "default": UNetConfig(ch=32, ch_mult=(1, 2, 2, 4, 4), num_res_blocks=2, attn_resolutions=(16, 8)),
    "small": UNetConfig(ch=16, ch_mult=(1, 2, 4, 4), num_res_blocks=1, attn_resolutions=(16,)),
    "tiny": UNetConfig(ch=8, ch_mult=(1, 2, 2, 2), num_res_blocks=1, attn_resolutions=(16,)),
    "micro": UNetConfig(ch=4, ch_mult=(1, 2, 4, 4), num_res_blocks=1, attn_resolutions=(16,)),
}


def net_config(name: str) -> UNetConfig:
    """The named configuration, or a clear error."""
    if name not in CONFIGS:
        raise ValueError(f"unknown network config {name!r} (known: {', '.join(CONFIGS)})")
    return CONFIGS[name]
