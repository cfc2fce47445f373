using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// One open connection to a server, used by one operation at a time. Each exchange writes a
/// request and reads its reply under the socket timeout. Any I/O error, timeout, malformed reply
/// or cancellation in the middle of an exchange marks the connection broken and closes it: the
/// reply stream can no longer be trusted, so a broken connection is never reused.
/// </summary>
internal sealed class MongoConnection : IAsyncDisposable, IDisposable
{
    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private int _busy;
    private int _closed;

    /// <summary>Wraps an open stream (over <paramref name="socket"/>, when there is one).</summary>
    public MongoConnection(long id, int generation, string endpoint, Stream stream, Socket? socket, TimeSpan? socketTimeout, TimeProvider time)
    {
        Id = id;
        Generation = generation;
        Endpoint = endpoint;
        _stream = stream;
        _socket = socket;
        SocketTimeout = socketTimeout;
        _time = time;
        CreatedTimestamp = time.GetTimestamp();
        LastUsedTimestamp = CreatedTimestamp;
        ReadLimits = WireLimits.Default;
        SendLimits = WireLimits.Default;
    }

    /// <summary>The client-side connection number (unique per pool).</summary>
    public long Id { get; }

    /// <summary>The pool generation the connection was created in.</summary>
    public int Generation { get; }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The per-exchange timeout, or null for none.</summary>
    public TimeSpan? SocketTimeout { get; }

    /// <summary>What the server said in the handshake; null until the handshake completed.</summary>
    public ServerDescription? Description { get; private set; }

    /// <summary>True once the connection broke or was closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the connection was closed, for diagnostics.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>When the connection was opened (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long CreatedTimestamp { get; }

    /// <summary>When the connection last finished an exchange (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long LastUsedTimestamp { get; private set; }

    /// <summary>Limits applied to replies.</summary>
    public WireLimits ReadLimits { get; private set; }

    /// <summary>Limits applied to requests (the server's <c>maxMessageSizeBytes</c> once known).</summary>
    public WireLimits SendLimits { get; private set; }

    /// <summary>A short name for messages: <c>host:port#id</c>.</summary>
    public override string ToString() => $"{Endpoint}#{Id}";

    /// <summary>Records the handshake's outcome and adopts the server's size limits.</summary>
    public void SetDescription(ServerDescription description)
    {
        Description = description;
        SendLimits = new WireLimits { MaxMessageSize = Math.Max(MessageHeader.Size, description.MaxMessageSizeBytes) };
        ReadLimits = new WireLimits
        {
            MaxMessageSize = Math.Max(WireLimits.DefaultMaxMessageSize, description.MaxMessageSizeBytes),
            Documents = new BsonReaderOptions
            {
                MaxDocumentSize = Math.Max(BsonReaderOptions.DefaultMaxDocumentSize, description.MaxBsonObjectSize + (16 * 1024)),
            },
        };
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the body of its reply, whatever its
    /// <c>ok</c> value. <paramref name="timeout"/> overrides <see cref="SocketTimeout"/>.
    /// </summary>
    /// <exception cref="MongoClientException">The request cannot be encoded within the limits (nothing was sent).</exception>
    /// <exception cref="MongoConnectionException">I/O failure or malformed reply; the connection is closed.</exception>
    /// <exception cref="MongoTimeoutException">The exchange exceeded the timeout; the connection is closed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the connection is closed.</exception>
    public async Task<BsonDocument> ExchangeAsync(OpMsgMessage request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException($"Connection {this} is already in use by another operation.");
        }

        try
        {
            using var buffer = new PooledBufferWriter();
            Encode(request, buffer);
            return await TransferAsync(request.RequestId, buffer.WrittenMemory, timeout ?? SocketTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LastUsedTimestamp = _time.GetTimestamp();
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// A cheap check, without I/O, that the peer has not closed an idle connection: a socket that
    /// polls readable with no bytes buffered has seen the peer's FIN (or an error). Only
    /// meaningful between exchanges.
    /// </summary>
    public bool PeerHasClosed()
    {
        if (IsClosed)
        {
            return true;
        }

        if (_socket is null)
        {
            return false;
        }

        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Closes the connection; <paramref name="reason"/> is kept for diagnostics. Idempotent.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        try
        {
            _socket?.Dispose();
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Closing a connection that already failed may fail again; nothing is left to release.
        }
    }

    /// <inheritdoc />
    public void Dispose() => Close("disposed");

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close("disposed");
        return ValueTask.CompletedTask;
    }

    private void Encode(OpMsgMessage request, PooledBufferWriter buffer)
    {
        try
        {
            WireMessageCodec.Encode(request, buffer, SendLimits);
        }
        catch (ArgumentException ex)
        {
            throw new MongoClientException($"The request to {Endpoint} cannot be sent: {ex.Message}", ex);
        }
    }

    private async Task<BsonDocument> TransferAsync(int requestId, ReadOnlyMemory<byte> bytes, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
        {
            linked.CancelAfter(t);
        }

        // Cancelling an in-flight socket operation leaves the stream in an unknown state, and some
        // stream types ignore the token once a read is pending: closing the socket ends it either way.
        using var abort = linked.Token.UnsafeRegister(static state => ((MongoConnection)state!).Close("cancelled or timed out"), this);
        try
        {
            await _stream.WriteAsync(bytes, linked.Token).ConfigureAwait(false);
            using var frame = await WireStream.ReadFrameAsync(_stream, ReadLimits, linked.Token).ConfigureAwait(false)
                ?? throw new EndOfStreamException("The server closed the connection before replying.");
            var reply = frame.Decode(ReadLimits);
            return ValidateReply(reply, requestId);
        }
        catch (Exception ex) when (ex is not MongoException)
        {
            throw Fail(ex, cancellationToken, linked.IsCancellationRequested, timeout);
        }
    }

    private BsonDocument ValidateReply(WireMessage reply, int requestId)
    {
        if (reply is not OpMsgMessage msg)
        {
            throw new WireProtocolException(12, $"Expected an OP_MSG reply but received {reply.OpCode}.");
        }

        if (msg.ResponseTo != requestId)
        {
            throw new WireProtocolException(8, $"The reply answers request {msg.ResponseTo}, not request {requestId}.");
        }

        if (msg.MoreToCome)
        {
            throw new WireProtocolException(16, "The reply has moreToCome set although no exhaust reply was requested.");
        }

        return msg.Body;
    }

    private Exception Fail(Exception ex, CancellationToken callerToken, bool linkedCancelled, TimeSpan? timeout)
    {
        if (callerToken.IsCancellationRequested)
        {
            Close("the operation was cancelled mid-exchange");
            return ex as OperationCanceledException ?? new OperationCanceledException("The operation was cancelled; its connection was closed.", ex, callerToken);
        }

        if (linkedCancelled)
        {
            Close("socket timeout");
            var limit = timeout ?? TimeSpan.Zero;
            return new MongoTimeoutException(
                MongoTimeoutKind.Socket,
                Endpoint,
                limit,
                $"No reply from {Endpoint} within the socket timeout of {limit.TotalMilliseconds:0} ms; the connection was closed.",
                ex);
        }

        var protocol = ex is WireProtocolException or BsonFormatException;
        Close(protocol ? "protocol error" : "I/O error");
        var message = protocol
            ? $"The server at {Endpoint} sent a malformed reply on connection {Id}: {ex.Message}"
            : $"Connection {Id} to {Endpoint} failed: {ex.Message}";
        return new MongoConnectionException(Endpoint, message + " The connection was closed.", ex) { IsProtocolError = protocol };
    }
}
