"""Fine-tuning and MLM pretraining; `training/*.py` are thin entry points over these."""
