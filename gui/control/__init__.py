"""The control layer: the controller, the race worker, the timeline, the kernels' readiness."""
