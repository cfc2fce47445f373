using DistributedSync.Daemon.Engine;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// One <see cref="ISyncEngine.WriteAsync"/> call as the engine keeps it while the decider orders
/// and answers it: the operations, the counts the batch runner found, and the caller's completion.
/// </summary>
internal sealed class WriteRequest
{
    public WriteRequest(long id, IReadOnlyList<WriteOperation> operations)
    {
        Id = id;
        Operations = operations;
    }

    public long Id { get; }

    public IReadOnlyList<WriteOperation> Operations { get; }

    public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The counts of the operations written so far (set by the batch runner).</summary>
    public WriteOutcome Counts { get; set; } = new(OplogPosition.Zero);

    /// <summary>The refusal of an operation (duplicate key, bad update), raised once the operations before it are durable.</summary>
    public SyncEngineException? Refusal { get; set; }

    /// <summary>Resolves the caller with the counts and <paramref name="position"/>.</summary>
    public void Succeed(OplogPosition position) => Completion.TrySetResult(Counts with { Position = position });

    public void Fail(Exception error) => Completion.TrySetException(error);
}
