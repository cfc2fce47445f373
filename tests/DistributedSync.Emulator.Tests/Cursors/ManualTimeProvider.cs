namespace DistributedSync.Emulator.Tests.Cursors;

/// <summary>
/// A clock that only moves when told to (<see cref="Advance"/>), with timers that fire as it
/// passes their due time; used to drive cursor timeouts and awaitData waits without sleeping.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers that fire once (e.g. those of Task.Delay) and have not fired or been disposed.</summary>
    public int PendingOneShotTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Period == Timeout.InfiniteTimeSpan && t.Due is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _ticks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            timer.Schedule(_ticks, dueTime, period);
        }

        return timer;
    }

    /// <summary>Moves the clock forward and runs the timers that became due (outside the lock).</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            _ticks += by.Ticks;
            due = [.. _timers.Where(t => t.Due <= _ticks)];
            foreach (var timer in due)
            {
                timer.Schedule(_ticks, timer.Period, timer.Period);
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; private set; }

        public TimeSpan Period { get; private set; }

        public void Schedule(long now, TimeSpan dueTime, TimeSpan period)
        {
            Period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime.Ticks;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Schedule(owner._ticks, dueTime, period);
            }

            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
