using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The TCP side of a node: one listener per bound address (all on the same port, chosen by the
/// OS when <c>--port 0</c>), one task per client connection, and a clean stop that closes the
/// listeners and every connection. A misbehaving connection is closed on its own; the others
/// are not affected.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private const int Backlog = 512;
    private const int BindAttempts = 8;
    private readonly ServerState _state;
    private readonly List<Socket> _listeners;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, ClientConnection> _connections = new();
    private readonly List<Task> _acceptLoops = [];
    private long _lastConnectionId;
    private int _disposed;

    private EmulatorServer(ServerState state, List<Socket> listeners)
    {
        _state = state;
        _listeners = listeners;
        EndPoints = [.. listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];
        Port = EndPoints[0].Port;
        state.Port = Port;
    }

    /// <summary>The addresses listened on.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>
    /// Binds the listeners for <see cref="ServerState.Options"/> and starts accepting.
    /// </summary>
    /// <exception cref="SocketException">An address cannot be bound (e.g. the port is in use).</exception>
    public static EmulatorServer Start(ServerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var addresses = ResolveBindAddresses(state.Options);
        var listeners = Bind(addresses, state.Options.Port);
        var server = new EmulatorServer(state, listeners);
        foreach (var listener in listeners)
        {
            var endPoint = (IPEndPoint)listener.LocalEndPoint!;
            state.Log.Info("NETWORK", 23015, "listener", "Listening on", new BsonDocument("address", endPoint.Address.ToString()));
            server._acceptLoops.Add(Task.Run(() => server.AcceptLoopAsync(listener)));
        }

        return server;
    }

    /// <summary>The addresses <paramref name="options"/> asks to listen on.</summary>
    /// <exception cref="SocketException">A host name cannot be resolved.</exception>
    public static IReadOnlyList<IPAddress> ResolveBindAddresses(Hosting.EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BindIpAll)
        {
            return Socket.OSSupportsIPv6 ? [IPAddress.Any, IPAddress.IPv6Any] : [IPAddress.Any];
        }

        var addresses = new List<IPAddress>();
        foreach (var entry in options.BindIp)
        {
            IPAddress[] resolved;
            if (IPAddress.TryParse(entry, out var literal))
            {
                resolved = [literal];
            }
            else
            {
                // A host name: its IPv4 addresses (like mongod without --ipv6), or IPv6 when it has none.
                var all = Dns.GetHostAddresses(entry);
                var v4 = all.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
                resolved = v4.Length > 0 ? v4 : [.. all.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)];
            }

            foreach (var address in resolved)
            {
                if (!addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
        }

        return addresses.Count > 0 ? addresses : throw new SocketException((int)SocketError.AddressNotAvailable);
    }

    private static List<Socket> Bind(IReadOnlyList<IPAddress> addresses, int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            var listeners = new List<Socket>();
            try
            {
                var chosen = port;
                foreach (var address in addresses)
                {
                    if (TryListen(address, chosen, optional: address.Equals(IPAddress.IPv6Any)) is { } socket)
                    {
                        listeners.Add(socket);
                        chosen = ((IPEndPoint)socket.LocalEndPoint!).Port;
                    }
                }

                return listeners.Count > 0 ? listeners : throw new SocketException((int)SocketError.AddressNotAvailable);
            }
            catch (SocketException ex) when (port == 0 && listeners.Count > 0 && attempt < BindAttempts && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // The port the OS chose for the first address is taken on another: choose again.
                listeners.ForEach(l => l.Dispose());
            }
            catch
            {
                listeners.ForEach(l => l.Dispose());
                throw;
            }
        }
    }

    // Binds and listens; an optional address (:: for --bind_ip_all) that the host cannot use is skipped.
    private static Socket? TryListen(IPAddress address, int port, bool optional)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            AllowRebindDuringTimeWait(socket);

            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException ex) when (optional && ex.SocketErrorCode != SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // As mongod: set SO_REUSEADDR (alone) so a restart can rebind while the previous run's closed
    // connections linger in TIME_WAIT. On Unix this never lets two listeners share a port. .NET's
    // ReuseAddress option also sets SO_REUSEPORT on Linux, which would, hence the raw option.
    private static void AllowRebindDuringTimeWait(Socket socket)
    {
        Span<byte> on = [1, 0, 0, 0];
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(1, 2, on); // SOL_SOCKET, SO_REUSEADDR
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(0xFFFF, 0x4, on);
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (SocketException ex)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                _state.Log.Warning("NETWORK", 22990, "listener", "Error accepting new connection", new BsonDocument("error", ex.Message));
                continue;
            }

            Accept(client);
        }
    }

    private void Accept(Socket client)
    {
        if (_state.CurrentConnections >= _state.Options.MaxIncomingConnections)
        {
            _state.Log.Info("NETWORK", 22942, "listener", "Connection refused because there are too many open connections", new BsonDocument("connectionCount", _state.CurrentConnections));
            client.Dispose();
            return;
        }

        client.NoDelay = true;
        var id = Interlocked.Increment(ref _lastConnectionId);
        var connection = new ClientConnection(client, id, _state, _stopping.Token);
        _connections[id] = connection;
        connection.Completion = Task.Run(async () =>
        {
            try
            {
                await connection.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                _connections.TryRemove(id, out _);
            }
        });
    }

    /// <summary>Stops listening, closes every connection and waits for their tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state.Log.Info("NETWORK", 20562, "SignalHandler", "Shutdown: going to close listening sockets");
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        var open = _connections.Values.ToList();
        foreach (var connection in open)
        {
            connection.Abort();
        }

        await Task.WhenAll(open.Select(c => c.Completion ?? Task.CompletedTask)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}
