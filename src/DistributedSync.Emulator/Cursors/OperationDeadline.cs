namespace DistributedSync.Emulator.Cursors;

/// <summary>
/// The time limit of one operation (<c>maxTimeMS</c>), measured on the server's
/// <see cref="TimeProvider"/> so tests can drive it. The default value has no limit.
/// </summary>
internal readonly struct OperationDeadline
{
    private readonly TimeProvider? _time;
    private readonly long _start;
    private readonly TimeSpan _limit;

    private OperationDeadline(TimeProvider time, TimeSpan limit)
    {
        _time = time;
        _start = time.GetTimestamp();
        _limit = limit;
    }

    /// <summary>No limit.</summary>
    public static OperationDeadline None => default;

    /// <summary>True when a limit is set.</summary>
    public bool HasLimit => _time is not null;

    /// <summary>True when the limit has passed.</summary>
    public bool IsExpired => _time is not null && _time.GetElapsedTime(_start) >= _limit;

    /// <summary>Time left before the limit (<see cref="TimeSpan.MaxValue"/> without one, never negative).</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_time is null)
            {
                return TimeSpan.MaxValue;
            }

            var left = _limit - _time.GetElapsedTime(_start);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>A deadline <paramref name="limit"/> from now, or <see cref="None"/> when <paramref name="limit"/> is null.</summary>
    public static OperationDeadline After(TimeProvider time, TimeSpan? limit)
    {
        ArgumentNullException.ThrowIfNull(time);
        return limit is { } l ? new OperationDeadline(time, l) : None;
    }

    /// <summary>Throws mongod's MaxTimeMSExpired (50) once the limit has passed.</summary>
    public void ThrowIfExpired()
    {
        if (IsExpired)
        {
            throw Expired();
        }
    }

    /// <summary>mongod's MaxTimeMSExpired error.</summary>
    public static ServerErrorException Expired() => new(ErrorCodes.MaxTimeMSExpired, "operation exceeded time limit");
}
