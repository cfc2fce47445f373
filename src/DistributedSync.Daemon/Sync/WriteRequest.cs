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

    /// <summary>The refusal of an operation (duplicate key, bad update), raised once the operations before it are acknowledged.</summary>
    public SyncEngineException? Refusal { get; private set; }

    /// <summary>The index of the refused operation: the operations before it are applied.</summary>
    public int RefusedAt { get; private set; }

    /// <summary>Records that operation <paramref name="index"/> was refused; it and the ones after it are not applied.</summary>
    public void Refuse(int index, SyncErrorKind kind, string message)
    {
        RefusedAt = index;
        Refusal = new SyncEngineException(kind, message);
    }

    /// <summary>
    /// Resolves the caller with the counts and <paramref name="position"/>, or, when an operation
    /// was refused, with the refusal, which then says how many operations were applied and where
    /// (once those are acknowledged as the write concern asks).
    /// </summary>
    public void Succeed(OplogPosition position)
    {
        if (Refusal is not null)
        {
            Completion.TrySetException(RefusalError(position));
            return;
        }

        Completion.TrySetResult(Counts with { Position = position });
    }

    /// <summary>The refusal as the caller sees it: how many operations were applied and, when some wrote entries, where.</summary>
    public SyncEngineException RefusalError(OplogPosition? position)
    {
        var refusal = Refusal ?? throw new InvalidOperationException("No operation was refused.");
        return new SyncEngineException(refusal.Kind, refusal.Message, position: RefusedAt > 0 ? position : null, appliedOperations: RefusedAt);
    }

    public void Fail(Exception error) => Completion.TrySetException(error);
}
