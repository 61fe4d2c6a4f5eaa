"""Numbers for drawing: fields, planes, relief, the step explained, maps of many races."""
