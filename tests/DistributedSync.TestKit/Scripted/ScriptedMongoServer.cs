using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DistributedSync.Bson;

namespace DistributedSync.TestKit.Scripted;

/// <summary>
/// An in-process server speaking OP_MSG on 127.0.0.1 (an ephemeral port) whose replies a test
/// scripts through <see cref="Handler"/>. Commands the handler leaves (returns null for) get
/// defaults: <c>hello</c>/<c>isMaster</c> answer <see cref="HelloReply"/> (a standalone) with
/// the connection id, <c>ping</c> and <c>endSessions</c> answer ok, anything else
/// CommandNotFound. Every request and connection is recorded; <see cref="WaitUntilAsync"/>
/// waits for a condition on them without sleeping.
/// </summary>
public sealed class ScriptedMongoServer : IAsyncDisposable
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(25);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ScriptedRequest> _requests = new();
    private readonly ConcurrentDictionary<long, ScriptedConnection> _connections = new();
    private readonly ConcurrentQueue<Exception> _handlerErrors = new();
    private readonly Task _acceptLoop;
    private readonly Lock _changeGate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastConnectionId;

    private readonly X509Certificate2? _certificate;

    private ScriptedMongoServer(X509Certificate2? certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Decides the response to each request; null (or returning null) leaves it to the defaults.
    /// Called concurrently for requests on different connections. An exception becomes an
    /// <c>InternalError</c> reply and is kept in <see cref="HandlerErrors"/>.
    /// </summary>
    public Func<ScriptedRequest, ScriptedResponse?>? Handler { get; set; }

    /// <summary>The <c>hello</c> reply (without <c>connectionId</c>, which is added per connection).</summary>
    public BsonDocument HelloReply { get; set; } = DefaultHelloReply();

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ScriptedRequest> Requests => [.. _requests];

    /// <summary>Requests other than the handshake (<c>hello</c>/<c>isMaster</c>), in arrival order.</summary>
    public IReadOnlyList<ScriptedRequest> Commands => [.. _requests.Where(r => !IsHello(r.CommandName))];

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => (int)Interlocked.Read(ref _lastConnectionId);

    /// <summary>Connections currently open (from the server's side).</summary>
    public int OpenConnections => _connections.Values.Count(c => c.IsOpen);

    /// <summary>Exceptions thrown by <see cref="Handler"/>.</summary>
    public IReadOnlyList<Exception> HandlerErrors => [.. _handlerErrors];

    /// <summary>Starts a server; dispose it to stop.</summary>
    public static ScriptedMongoServer Start(Func<ScriptedRequest, ScriptedResponse?>? handler = null)
        => new(null) { Handler = handler };

    /// <summary>Starts a server that wraps every connection in TLS with <paramref name="certificate"/> (which must hold its private key).</summary>
    public static ScriptedMongoServer StartTls(X509Certificate2 certificate, Func<ScriptedRequest, ScriptedResponse?>? handler = null)
        => new(certificate ?? throw new ArgumentNullException(nameof(certificate))) { Handler = handler };

    /// <summary>A connection string for this server with extra URI options (e.g. <c>"maxPoolSize=1"</c>).</summary>
    public string ConnectionString(string? options = null)
        => $"mongodb://{Endpoint}/?directConnection=true{(string.IsNullOrEmpty(options) ? string.Empty : "&" + options)}";

    /// <summary>Closes the server side of connection <paramref name="connectionId"/> (as a restarting server would).</summary>
    public void CloseConnection(long connectionId)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.Close();
        }
    }

    /// <summary>True while the server-side connection <paramref name="connectionId"/> is open.</summary>
    public bool IsConnectionOpen(long connectionId) => _connections.TryGetValue(connectionId, out var c) && c.IsOpen;

    /// <summary>The default standalone <c>hello</c> reply: wire versions 0-21 (MongoDB 7.0), 16 MiB documents, 48 MB messages, 100,000 writes a batch.</summary>
    public static BsonDocument DefaultHelloReply() => new()
    {
        { "helloOk", true },
        { "isWritablePrimary", true },
        { "topologyVersion", new BsonDocument { { "processId", ObjectId.GenerateNewId() }, { "counter", 0L } } },
        { "maxBsonObjectSize", 16 * 1024 * 1024 },
        { "maxMessageSizeBytes", 48_000_000 },
        { "maxWriteBatchSize", 100_000 },
        { "localTime", DateTime.UtcNow },
        { "logicalSessionTimeoutMinutes", 30 },
        { "minWireVersion", 0 },
        { "maxWireVersion", 21 },
        { "readOnly", false },
    };

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking at once whenever a request or
    /// connection event happens, and every 25 ms for conditions on client-side state.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_changeGate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The condition did not hold within {timeout.TotalMilliseconds:0} ms.");
            }

            try
            {
                await changed.WaitAsync(left < RecheckInterval ? left : RecheckInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more: the final check decides.
            }
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Close();
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        foreach (var connection in _connections.Values)
        {
            await connection.Completion.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    internal static bool IsHello(string commandName)
        => commandName is "hello" or "isMaster" or "ismaster";

    internal void Record(ScriptedRequest request)
    {
        _requests.Enqueue(request);
        NotifyChanged();
    }

    internal ScriptedResponse Respond(ScriptedRequest request)
    {
        ScriptedResponse? response = null;
        try
        {
            response = Handler?.Invoke(request);
        }
#pragma warning disable CA1031 // A handler's failure is reported to the client and kept for the test.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _handlerErrors.Enqueue(ex);
            return ScriptedResponse.Error(1, "InternalError", "scripted handler failed: " + ex.Message);
        }

        return response ?? DefaultResponse(request);
    }

    internal void NotifyChanged()
    {
        TaskCompletionSource previous;
        lock (_changeGate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private ScriptedResponse DefaultResponse(ScriptedRequest request)
    {
        if (IsHello(request.CommandName))
        {
            var reply = HelloReply.DeepClone();
            reply.Set("connectionId", request.ConnectionId);
            reply.Set("ok", 1.0);
            return ScriptedResponse.Reply(reply);
        }

        return request.CommandName is "ping" or "endSessions"
            ? ScriptedResponse.Ok()
            : ScriptedResponse.Error(59, "CommandNotFound", $"no such command: '{request.CommandName}'");
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _lastConnectionId);
            var connection = new ScriptedConnection(this, id, socket, _certificate, _stop.Token);
            _connections[id] = connection;
            connection.Start();
            NotifyChanged();
        }
    }
}
