#!/bin/bash
# Written by `sfstudio-cli batch submit --slurm` for @BATCH_FILE@.
# One array task per batch item: the task id is the item's index. Submitting again (the same
# command) leaves out the items that are done or still queued. Logs: @LOG_FOLDER@
#SBATCH --job-name=@JOB_NAME@
#SBATCH --array=@ARRAY@
#SBATCH --output=@LOG@
#SBATCH --chdir=@WORK_FOLDER@
@SBATCH_OPTIONS@
# Torch's threads follow --cpus-per-task (0: every core the task sees).
exec @CLI@ batch run @BATCH_FILE_QUOTED@ --item "$SLURM_ARRAY_TASK_ID" --threads "${SLURM_CPUS_PER_TASK:-0}"
