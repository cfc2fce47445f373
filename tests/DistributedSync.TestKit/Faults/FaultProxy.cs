using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Faults;

/// <summary>
/// A TCP proxy on 127.0.0.1 that forwards to an upstream (a node) and injects a
/// <see cref="Faults.Fault"/>: delay with jitter, dropped or reset connections, a blackhole, a
/// bandwidth limit. The fault (and the upstream port) can be switched at run time; open
/// connections follow a new fault at their next chunk, and a chunk held by a delay or a
/// bandwidth limit looks again as soon as the fault changes.
/// </summary>
/// <remarks>
/// <para>Loopback only: the upstream must be a loopback address (or "localhost").</para>
/// <para>
/// Bytes that arrive while <see cref="Fault.Blackhole"/> is set are read and thrown away: after
/// <see cref="Heal"/> a connection still open forwards again, but what was dropped is lost and
/// the two ends disagree about the stream (a MongoDB client normally times out, closes the
/// connection and opens a new one, which then works).
/// </para>
/// <para>
/// Jitter is drawn from a <see cref="Random"/> per connection and direction, seeded from
/// <c>seed</c> and the connection's accept order, so the same seed and traffic give the same
/// holds. A delay holds each chunk (up to 64 KiB as read) for its whole hold before reading
/// the next one, so a long delay also limits throughput to about 64 KiB per hold.
/// </para>
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPAddress _upstreamAddress;
    private readonly int _seed;
    private readonly FaultState _state = new(Fault.None);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, (ProxyConnection Connection, Task Run)> _connections = new();
    private readonly Task _acceptLoop;
    private int _upstreamPort;
    private long _accepted;
    private readonly ProxyCounters _counters = new();
    private int _disposed;

    private FaultProxy(Socket listener, IPAddress upstreamAddress, int upstreamPort, int seed)
    {
        _listener = listener;
        _upstreamAddress = upstreamAddress;
        _upstreamPort = upstreamPort;
        _seed = seed;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port listened on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The upstream port; a new value applies to connections accepted from then on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in 1-65535.</exception>
    public int UpstreamPort
    {
        get => Volatile.Read(ref _upstreamPort);
        set
        {
            ValidatePort(value, 1, nameof(value));
            Volatile.Write(ref _upstreamPort, value);
        }
    }

    /// <summary>The current fault.</summary>
    public Fault Fault => _state.Current;

    /// <summary>Connections being forwarded now (dropped and reset-at-accept ones never count).</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Bytes written to either side so far.</summary>
    public long BytesForwarded => _counters.Forwarded;

    /// <summary>Bytes read and thrown away by <see cref="Fault.Blackhole"/> so far (lost for good).</summary>
    public long BytesDiscarded => _counters.Discarded;

    /// <summary>Chunks being held now by a delay or a bandwidth limit (for tests that must know a chunk is in flight).</summary>
    public int HeldChunks => _counters.Held;

    /// <summary>
    /// Starts listening on 127.0.0.1:<paramref name="listenPort"/> (0 for an ephemeral port) and
    /// forwarding to <paramref name="upstreamHost"/>:<paramref name="upstreamPort"/>.
    /// </summary>
    /// <param name="upstreamPort">The upstream port.</param>
    /// <param name="listenPort">The port to listen on; 0 lets the OS pick.</param>
    /// <param name="seed">Seeds the jitter of <see cref="Fault.Delay"/>.</param>
    /// <param name="upstreamHost">A loopback address, or "localhost".</param>
    /// <exception cref="ArgumentException">The upstream host is not a loopback address.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A port out of range.</exception>
    /// <exception cref="SocketException">The listen port is taken.</exception>
    public static FaultProxy Start(int upstreamPort, int listenPort = 0, int seed = 0, string upstreamHost = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(upstreamHost);
        ValidatePort(upstreamPort, 1, nameof(upstreamPort));
        ValidatePort(listenPort, 0, nameof(listenPort));
        var upstreamAddress = LoopbackAddress(upstreamHost, nameof(upstreamHost));
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new FaultProxy(listener, upstreamAddress, upstreamPort, seed);
    }

    /// <summary>
    /// Switches the fault for open and new connections. <see cref="Fault.Reset"/> resets every
    /// open connection before returning.
    /// </summary>
    public void SetFault(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _state.Set(fault);
        if (fault is ResetFault)
        {
            foreach (var (connection, _) in _connections.Values)
            {
                connection.Abort();
            }
        }
    }

    /// <summary>Back to <see cref="Fault.None"/>.</summary>
    public void Heal() => SetFault(Fault.None);

    /// <summary>"proxy 127.0.0.1:port -> 127.0.0.1:upstream (fault)", for logs.</summary>
    public override string ToString() => $"proxy 127.0.0.1:{Port} -> {_upstreamAddress}:{UpstreamPort} ({Fault})";

    /// <summary>Stops listening and resets every connection; waits (boundedly) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort();
        }

        Task[] running = [_acceptLoop, .. _connections.Values.Select(c => c.Run)];
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static IPAddress LoopbackAddress(string host, string name)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)
            ? address
            : throw new ArgumentException($"The fault proxy only forwards to loopback; '{host}' is not a loopback address.", name);
    }

    private static void ValidatePort(int port, int min, string name)
    {
        if (port < min || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(name, port, $"A port must be in {min}-{IPEndPoint.MaxPort}.");
        }
    }

    private async Task AcceptLoopAsync()
    {
        var cancellationToken = _stop.Token;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection that died in the backlog; keep accepting.
                continue;
            }

            Admit(client, cancellationToken);
        }
    }

    private void Admit(Socket client, CancellationToken cancellationToken)
    {
        switch (_state.Current)
        {
            case DropNewFault:
                client.Dispose();
                return;
            case ResetFault:
                ProxyConnection.ResetQuietly(client);
                return;
        }

        client.NoDelay = true;
        var index = Interlocked.Increment(ref _accepted) - 1;
        var connection = new ProxyConnection(client, _state, () => new IPEndPoint(_upstreamAddress, UpstreamPort), _seed, index, _counters);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[index] = (connection, RunAsync(index, connection, started.Task, cancellationToken));
        started.SetResult();

        // SetFault(Reset) may have looked at the connections just before this one was added.
        if (_state.Current is ResetFault || cancellationToken.IsCancellationRequested)
        {
            connection.Abort();
        }
    }

    private async Task RunAsync(long index, ProxyConnection connection, Task registered, CancellationToken cancellationToken)
    {
        try
        {
            await registered.ConfigureAwait(false);
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(index, out _);
        }
    }
}
