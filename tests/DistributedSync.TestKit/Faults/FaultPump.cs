using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Faults;

/// <summary>
/// One direction of one proxied connection: reads a chunk from the source into a pooled buffer,
/// then applies the current fault to it (forward, hold, throttle, discard, reset) and reads the
/// next. Chunks are handled one after the other, so order is kept; a held or throttled chunk
/// re-reads the fault when it changes. At EOF the destination is half-closed (once the
/// connection is no longer blackholed). Errors propagate to <see cref="ProxyConnection"/>.
/// </summary>
internal sealed class FaultPump
{
    /// <summary>The largest chunk read at once.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly FaultState _state;
    private readonly Random _random;
    private readonly ProxyCounters _counters;
    private readonly Action _reset;
    private TokenBucket? _bucket;

    /// <param name="state">The proxy's fault.</param>
    /// <param name="random">Draws the jitter of held chunks.</param>
    /// <param name="counters">The proxy's counters.</param>
    /// <param name="reset">Resets the whole connection (the fault became <see cref="ResetFault"/>).</param>
    public FaultPump(FaultState state, Random random, ProxyCounters counters, Action reset)
    {
        _state = state;
        _random = random;
        _counters = counters;
        _reset = reset;
    }

    /// <summary>Pumps until EOF (then half-closes the destination) or a reset.</summary>
    public async Task RunAsync(Socket source, Task<Socket> destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await source.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    await PropagateEndAsync(destination, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (!await DeliverAsync(buffer.AsMemory(0, read), Stopwatch.GetTimestamp(), destination, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Applies the fault to one chunk; false when the connection was reset.</summary>
    private async Task<bool> DeliverAsync(ReadOnlyMemory<byte> chunk, long readAt, Task<Socket> destination, CancellationToken cancellationToken)
    {
        DelayFault? sampledFor = null;
        var hold = TimeSpan.Zero;
        while (!chunk.IsEmpty)
        {
            var (fault, changed) = _state.Read();
            switch (fault)
            {
                case BlackholeFault:
                    _counters.AddDiscarded(chunk.Length);
                    return true;
                case ResetFault:
                    _reset();
                    return false;
                case DelayFault delay:
                    if (!ReferenceEquals(sampledFor, delay))
                    {
                        sampledFor = delay;
                        hold = delay.NextHold(_random);
                    }

                    var remaining = hold - Stopwatch.GetElapsedTime(readAt);
                    if (remaining > TimeSpan.Zero)
                    {
                        using (_counters.Hold())
                        {
                            await FaultState.WaitAsync(remaining, changed, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    await SendAsync(destination, chunk, cancellationToken).ConfigureAwait(false);
                    return true;
                case BandwidthFault bandwidth:
                    if (!ReferenceEquals(_bucket?.Fault, bandwidth))
                    {
                        _bucket = new TokenBucket(bandwidth);
                    }

                    var slice = Math.Min(chunk.Length, _bucket.MaxTake);
                    var wait = _bucket.TryTake(slice);
                    if (wait > TimeSpan.Zero)
                    {
                        using (_counters.Hold())
                        {
                            await FaultState.WaitAsync(wait, changed, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    await SendAsync(destination, chunk[..slice], cancellationToken).ConfigureAwait(false);
                    chunk = chunk[slice..];
                    break;
                default:
                    // None, and DropNew (which only concerns new connections).
                    await SendAsync(destination, chunk, cancellationToken).ConfigureAwait(false);
                    return true;
            }
        }

        return true;
    }

    private async Task SendAsync(Task<Socket> destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = await destination.ConfigureAwait(false);
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
            _counters.AddForwarded(sent);
        }
    }

    /// <summary>Half-closes the destination, but not while blackholed: a blackhole delivers no FIN either.</summary>
    private async Task PropagateEndAsync(Task<Socket> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (fault, changed) = _state.Read();
            switch (fault)
            {
                case BlackholeFault:
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                case ResetFault:
                    _reset();
                    return;
                default:
                    var socket = await destination.ConfigureAwait(false);
                    socket.Shutdown(SocketShutdown.Send);
                    return;
            }
        }
    }
}
