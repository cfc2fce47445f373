namespace DistributedSync.TestKit.Faults;

/// <summary>
/// The current fault of a <see cref="FaultProxy"/> and a signal for its change: a pump that waits
/// (a held chunk, an empty token bucket, a blackholed connect) waits for its own deadline or
/// <see cref="Snapshot.Changed"/>, whichever comes first, then looks at the fault again.
/// </summary>
internal sealed class FaultState
{
    // Task.Delay refuses more than ~49 days; a longer hold just waits again.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);
    private readonly Lock _gate = new();
    private Fault _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FaultState(Fault initial) => _current = initial;

    /// <summary>The current fault.</summary>
    public Fault Current => Volatile.Read(ref _current);

    /// <summary>The current fault and a task that completes when it is replaced.</summary>
    public Snapshot Read()
    {
        lock (_gate)
        {
            return new Snapshot(_current, _changed.Task);
        }
    }

    /// <summary>Replaces the fault and wakes every waiter.</summary>
    public void Set(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        TaskCompletionSource previous;
        lock (_gate)
        {
            Volatile.Write(ref _current, fault);
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>
    /// Waits until <paramref name="delay"/> elapsed or the fault that <paramref name="changed"/>
    /// belongs to is replaced.
    /// </summary>
    public static async Task WaitAsync(TimeSpan delay, Task changed, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(delay < LongestWait ? delay : LongestWait, timer.Token);
        await Task.WhenAny(elapsed, changed).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>A fault and the signal of its replacement.</summary>
    internal readonly record struct Snapshot(Fault Fault, Task Changed);
}
