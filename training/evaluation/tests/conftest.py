import sys
from pathlib import Path

# The repository root, so `training.evaluation` imports whether pytest runs from the root or from training/.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
