using System.Net;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Faults;

/// <summary>
/// One client connection of a <see cref="FaultProxy"/> and its upstream connection, with a
/// <see cref="FaultPump"/> each way. The upstream is connected once the proxy is not
/// blackholed (a connection accepted during a blackhole only connects after the heal; what
/// the client sent before is discarded). When either pump fails, or the upstream cannot be
/// reached, both sockets are reset. <see cref="RunAsync"/> never throws.
/// </summary>
internal sealed class ProxyConnection
{
    private readonly Socket _client;
    private readonly FaultState _state;
    private readonly Func<EndPoint> _upstreamEndPoint;
    private readonly ProxyCounters _counters;
    private readonly Random _toUpstreamRandom;
    private readonly Random _toClientRandom;
    private readonly Lock _gate = new();
    private Socket? _upstream;
    private bool _aborted;

    /// <param name="client">The accepted socket.</param>
    /// <param name="state">The proxy's fault.</param>
    /// <param name="upstreamEndPoint">Where to connect (read when connecting).</param>
    /// <param name="seed">The proxy's seed.</param>
    /// <param name="index">The accept order (0-based), which seeds this connection's jitter.</param>
    /// <param name="counters">The proxy's counters.</param>
    public ProxyConnection(Socket client, FaultState state, Func<EndPoint> upstreamEndPoint, int seed, long index, ProxyCounters counters)
    {
        _client = client;
        _state = state;
        _upstreamEndPoint = upstreamEndPoint;
        _counters = counters;
        var connectionSeed = unchecked((seed * 1_000_003) + ((int)index * 2));
        _toUpstreamRandom = new Random(connectionSeed);
        _toClientRandom = new Random(unchecked(connectionSeed + 1));
    }

    /// <summary>Forwards until both directions ended or the connection is reset; then closes both sockets.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var upstream = ConnectUpstreamAsync(cancellationToken);
            var toUpstream = new FaultPump(_state, _toUpstreamRandom, _counters, Abort);
            var toClient = new FaultPump(_state, _toClientRandom, _counters, Abort);
            var up = GuardAsync(() => toUpstream.RunAsync(_client, upstream, cancellationToken));
            var down = GuardAsync(async () => await toClient.RunAsync(await upstream.ConfigureAwait(false), Task.FromResult(_client), cancellationToken).ConfigureAwait(false));
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Never throw from a background loop: whatever failed, the connection just ends.
            Abort();
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Resets both sockets now (RST); the pumps then fail and the connection ends.</summary>
    public void Abort()
    {
        Socket? upstream;
        lock (_gate)
        {
            _aborted = true;
            upstream = _upstream;
        }

        ResetQuietly(_client);
        if (upstream is not null)
        {
            ResetQuietly(upstream);
        }
    }

    /// <summary>Closes a socket with an RST (linger on, zero timeout), ignoring errors.</summary>
    public static void ResetQuietly(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed, or never connected: closing is all that is left.
        }

        socket.Dispose();
    }

    private async Task<Socket> ConnectUpstreamAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (fault, changed) = _state.Read();
            if (fault is not BlackholeFault)
            {
                break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var endPoint = _upstreamEndPoint();
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        bool aborted;
        lock (_gate)
        {
            aborted = _aborted;
            if (!aborted)
            {
                _upstream = socket;
            }
        }

        if (aborted)
        {
            socket.Dispose();
            throw new OperationCanceledException("The connection was reset before its upstream was connected.");
        }

        await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        return socket;
    }

    private async Task GuardAsync(Func<Task> pump)
    {
        try
        {
            await pump().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A socket error, a refused upstream, a reset or the proxy's disposal: end both directions.
            Abort();
        }
    }

    private void Close()
    {
        Socket? upstream;
        lock (_gate)
        {
            _aborted = true;
            upstream = _upstream;
        }

        _client.Dispose();
        upstream?.Dispose();
    }
}
