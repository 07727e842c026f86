"""A believable segmented supply chain to try the gateway on, deterministic per seed."""

from gateway.demo.build import DemoData, generate_demo, load_demo

__all__ = ["DemoData", "generate_demo", "load_demo"]
