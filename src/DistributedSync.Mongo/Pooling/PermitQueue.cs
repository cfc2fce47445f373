namespace DistributedSync.Mongo.Pooling;

/// <summary>
/// A counting semaphore whose waiters are served strictly first-come first-served, so that a
/// pool under pressure cannot starve an early waiter. A released permit is handed directly to
/// the oldest waiter. Closing it fails every waiter with <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class PermitQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _available;
    private bool _closed;

    /// <summary>Creates the queue with <paramref name="permits"/> free permits.</summary>
    public PermitQueue(int permits) => _available = permits;

    /// <summary>How many permits are free.</summary>
    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>How many callers are waiting.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes a permit only if one is free and nobody is waiting.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return true;
            }

            return false;
        }
    }

    /// <summary>Waits in line for a permit.</summary>
    /// <returns>True with a permit held, false when <paramref name="timeout"/> passed first.</returns>
    /// <exception cref="OperationCanceledException">Cancelled (no permit is held).</exception>
    /// <exception cref="ObjectDisposedException">The queue was closed.</exception>
    public async Task<bool> AcquireAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return true;
            }

            if (timeout == TimeSpan.Zero)
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        try
        {
            await node.Value.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            // A permit handed over at the last moment is kept rather than lost.
            return !Abandon(node) && await KeepIfGranted(node).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (!Abandon(node) && await KeepIfGranted(node).ConfigureAwait(false))
            {
                Release();
            }

            throw;
        }
    }

    /// <summary>Returns a permit: to the oldest waiter if any, else to the free count.</summary>
    public void Release()
    {
        TaskCompletionSource? next = null;
        lock (_gate)
        {
            if (!_closed && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else
            {
                _available++;
            }
        }

        next?.TrySetResult();
    }

    /// <summary>Fails every waiter and refuses new ones.</summary>
    public void Close()
    {
        TaskCompletionSource[] waiting;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            waiting = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.TrySetException(new ObjectDisposedException(nameof(PermitQueue), "The connection pool was disposed."));
        }
    }

    /// <summary>Removes a waiter that gave up; false when it had already been handed a permit (or failed by Close).</summary>
    private bool Abandon(LinkedListNode<TaskCompletionSource> node)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                return false;
            }

            _waiters.Remove(node);
            return true;
        }
    }

    /// <summary>After a lost race, waits for the hand-over to land: true for a permit, false when closed.</summary>
    private static async Task<bool> KeepIfGranted(LinkedListNode<TaskCompletionSource> node)
    {
        try
        {
            await node.Value.Task.ConfigureAwait(false);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
