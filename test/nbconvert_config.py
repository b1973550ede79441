# Jupyter (nbconvert / nbclient) configuration used by test/run_notebooks.ts, for Deno 2.9's
# kernel with Debian 12's jupyter_client 7.4 / nbclient 0.7. Two work-arounds, both measured here:
#
# 1. Pause 1 s after the kernel reports ready, before the first cell. Without it the outputs of the
#    first cells are sometimes lost (ZeroMQ "slow joiner": the IOPub subscription is not connected
#    yet when the first results are published): 1 run in 5 lost every output of a 4-cell
#    notebook, 2 in 5 lost the first cell's.
# 2. Keep listening briefly after a cell's `status: idle`. Deno's kernel sometimes publishes the
#    cell's `execute_result` AFTER `status: idle` (4 cells in 40 in a direct jupyter_client test);
#    nbclient stops listening at idle, so that output was silently dropped from the notebook.
#    `_async_poll_output_msg` is replaced by one that, after idle, still takes messages of the same
#    cell until none arrives for GRACE_SECONDS.
import time
from queue import Empty

import nbclient.client as _client
from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async

GRACE_SECONDS = 0.3


async def _poll_output_msg_with_grace(self, parent_msg_id, cell, cell_index):
    while True:
        msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
        if msg["parent_header"].get("msg_id") == parent_msg_id:
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
    while True:  # late outputs of the same cell (see 2. above)
        try:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=GRACE_SECONDS))
        except Empty:
            return
        if msg["parent_header"].get("msg_id") == parent_msg_id:
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


_client.NotebookClient._async_poll_output_msg = _poll_output_msg_with_grace

c = get_config()  # noqa: F821 (provided by traitlets when the file is loaded)
c.ExecutePreprocessor.on_notebook_start = lambda **_kwargs: time.sleep(1.0)
