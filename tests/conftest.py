"""Test setup shared by every test: Qt renders offscreen, logs go to a temporary folder."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DESCENTLAB_LOCALE", "en_US")  # the window in English whatever the machine speaks
os.environ.setdefault("DESCENTLAB_LOG_DIR", tempfile.mkdtemp(prefix="descentlab-test-logs-"))
