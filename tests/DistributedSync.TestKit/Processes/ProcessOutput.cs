namespace DistributedSync.TestKit.Processes;

/// <summary>The captured stdout/stderr lines of a child process, with waiting for a line.</summary>
internal sealed class ProcessOutput
{
    private readonly Lock _gate = new();
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return [.. _out];
            }
        }
    }

    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_gate)
            {
                return [.. _err];
            }
        }
    }

    public void Add(string? line, bool error)
    {
        if (line is null)
        {
            Signal();
            return;
        }

        lock (_gate)
        {
            (error ? _err : _out).Add(line);
        }

        Signal();
    }

    public void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>
    /// Waits for a stdout line (after the first <paramref name="skip"/>) matching the predicate.
    /// <paramref name="exited"/> returns true once the process has exited and its output has been
    /// read to the end.
    /// </summary>
    /// <exception cref="TimeoutException">None arrived in time, or the process exited first.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, Func<bool> exited, TimeSpan timeout, CancellationToken cancellationToken, int skip = 0)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = skip; i < _out.Count; i++)
                {
                    if (predicate(_out[i]))
                    {
                        return _out[i];
                    }
                }

                changed = _changed.Task;
            }

            if (exited())
            {
                // exited() has waited for the end of both streams: every line is in.
                lock (_gate)
                {
                    var match = _out.Skip(skip).FirstOrDefault(predicate);
                    if (match is not null)
                    {
                        return match;
                    }
                }

                throw new TimeoutException("The process exited before writing the expected line.");
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No expected output line within {timeout}.");
            }
        }
    }
}
