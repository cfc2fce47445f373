using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 (an ephemeral port) that sends <see cref="Greeting"/> to each new
/// connection, then echoes everything back until EOF (then half-closes). An upstream for the
/// fault proxy's tests; the greeting tells which of several servers a connection reached.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;
    private long _received;

    private EchoServer(byte[] greeting)
    {
        Greeting = greeting;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>What each connection receives first.</summary>
    public byte[] Greeting { get; }

    /// <summary>Bytes received over all connections.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    /// <summary>Starts a server; <paramref name="greeting"/> is sent first on each connection (none by default).</summary>
    public static EchoServer Start(byte[]? greeting = null) => new(greeting ?? []);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var socket in _connections.Keys)
        {
            socket.Dispose();
        }

        await Task.WhenAll([_acceptLoop, .. _connections.Values]).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[socket] = EchoAsync(socket, started.Task);
            started.SetResult();
        }
    }

    private async Task EchoAsync(Socket socket, Task registered)
    {
        await registered;
        var buffer = new byte[64 * 1024];
        try
        {
            if (Greeting.Length > 0)
            {
                await socket.SendAsync(Greeting, SocketFlags.None, _stop.Token);
            }

            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                Interlocked.Add(ref _received, read);
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the server stops.
        }
        finally
        {
            socket.Dispose();
            _connections.TryRemove(socket, out _);
        }
    }
}
