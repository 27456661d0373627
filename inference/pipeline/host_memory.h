#pragma once
// Host-memory settings for running the models on the CPU.

namespace sfs::inference::pipeline {

// Keeps freed blocks of up to 32 MiB in the C heap for reuse, instead of letting glibc's
// adaptive thresholds hand them back to the kernel and fault them in afresh: a model call
// frees and reallocates the same few hundred MB of temporaries, and re-faulting them cost
// a third of the CPU time (measured with `bench dit`). Process-wide, idempotent; a no-op
// outside glibc.
void keepHostMemoryForReuse();

} // namespace sfs::inference::pipeline
