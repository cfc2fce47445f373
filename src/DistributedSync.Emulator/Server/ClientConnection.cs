using System.Net;
using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Commands;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// One client connection: reads messages one at a time, runs each, and writes the reply
/// (OP_MSG for OP_MSG, OP_REPLY for the legacy OP_QUERY handshake). A malformed message, an
/// unsupported opcode or a broken socket ends only this connection.
/// </summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// mongod's limits. Sequence documents stay as received bytes, checked by
    /// <see cref="RawBsonValidator"/> and decoded only when a command asks for them, so inserts
    /// can store them without building each document.
    /// </summary>
    internal static readonly WireLimits Limits = new() { DeferSequenceDocuments = true };

    // The same limits with every sequence document decoded (and its bytes kept) at once.
    private static readonly WireLimits DecodedLimits = new() { RetainRawDocuments = true };

    private readonly Socket _socket;
    private readonly ServerState _server;
    private readonly CancellationTokenSource _closed;
    private readonly Guid _uuid = Guid.NewGuid();
    private bool _warnedLegacyOp;

    public ClientConnection(Socket socket, long id, ServerState server, CancellationToken serverStopping)
    {
        _socket = socket;
        _server = server;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        State = new ConnectionState(id, socket.RemoteEndPoint as IPEndPoint, socket.LocalEndPoint as IPEndPoint, _closed.Token);
    }

    /// <summary>The connection as command handlers see it.</summary>
    public ConnectionState State { get; }

    /// <summary>The task running <see cref="RunAsync"/>.</summary>
    public Task? Completion { get; set; }

    /// <summary>Closes the socket (used at shutdown); <see cref="RunAsync"/> then ends.</summary>
    public void Abort()
    {
        try
        {
            _closed.Cancel();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed by RunAsync.
        }

        _socket.Dispose();
    }

    /// <summary>Serves the connection until the client closes it, it misbehaves, or the server stops.</summary>
    public async Task RunAsync()
    {
        var count = _server.ConnectionOpened();
        var token = _closed.Token;
        if (!_server.Log.Quiet)
        {
            _server.Log.Info("NETWORK", 22943, "listener", "Connection accepted", ConnectionAttributes(count));
        }

        try
        {
            using var stream = new NetworkStream(_socket, ownsSocket: true);
            while (!token.IsCancellationRequested)
            {
                using var frame = await WireStream.ReadFrameAsync(stream, Limits, token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                _server.Counters.RecordRequest(frame.Header.MessageLength);
                var reply = await HandleAsync(frame, token).ConfigureAwait(false);
                if (reply is not null)
                {
                    await WriteAsync(stream, reply, token).ConfigureAwait(false);
                }
            }
        }
        catch (WireProtocolException ex)
        {
            LogEnding(ex.Message);
        }
        catch (ConnectionFatalException ex)
        {
            LogEnding(ex.Message);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or SocketException or ObjectDisposedException
            || (ex is OperationCanceledException && token.IsCancellationRequested))
        {
            // The client went away (or the server is stopping): a normal end.
        }
#pragma warning disable CA1031 // A bug serving one connection must end only that connection, and be logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _server.Log.Error("NETWORK", 22989, State.Name, "Unexpected error serving the connection; ending it", new BsonDocument
            {
                { "error", ex.GetType().Name + ": " + ex.Message },
                { "stack", ex.StackTrace ?? string.Empty },
                { "remote", State.RemoteAddress },
            });
        }
        finally
        {
            await _closed.CancelAsync().ConfigureAwait(false);
            _socket.Dispose();
            var remaining = _server.ConnectionEnded(State);
            if (!_server.Log.Quiet)
            {
                _server.Log.Info("NETWORK", 22944, State.Name, "Connection ended", ConnectionAttributes(remaining));
            }

            _closed.Dispose();
        }
    }

    private async ValueTask<WireMessage?> HandleAsync(WireFrame frame, CancellationToken token)
    {
        switch (frame.Header.OpCode)
        {
            case OpCode.Msg:
                return await HandleMessageAsync(DecodeMessage(frame), token).ConfigureAwait(false);
            case OpCode.Query:
                return await HandleQueryAsync((OpQueryMessage)frame.Decode(Limits), token).ConfigureAwait(false);
            case OpCode.GetMore:
                WarnLegacyOp("getMore");
                return LegacyFailure(frame.Header.RequestId, "OP_GET_MORE is no longer supported");
            case OpCode.Insert or OpCode.Update or OpCode.Delete or OpCode.KillCursors:
                // Fire-and-forget operations: mongod records an error and sends nothing.
                WarnLegacyOp(frame.Header.OpCode.ToString().ToUpperInvariant());
                return null;
            default:
                throw new ConnectionFatalException($"Message type {(int)frame.Header.OpCode} is not supported.");
        }
    }

    // Decodes an OP_MSG, its sequence documents left as received once the validator accepts them
    // all. Otherwise the message is decoded in full, which throws the decoder's own error for the
    // bad document (ending the connection as for any malformed message).
    private static OpMsgMessage DecodeMessage(WireFrame frame)
    {
        var message = (OpMsgMessage)frame.Decode(Limits);
        foreach (var sequence in message.Sequences)
        {
            for (var i = 0; i < sequence.Count; i++)
            {
                if (!RawBsonValidator.IsValid(sequence.GetRawDocument(i).Span, Limits.Documents.MaxDepth))
                {
                    return (OpMsgMessage)frame.Decode(DecodedLimits);
                }
            }
        }

        return message;
    }

    private async ValueTask<WireMessage?> HandleMessageAsync(OpMsgMessage message, CancellationToken token)
    {
        BsonDocument reply;
        var duplicate = message.Sequences.FirstOrDefault(s => message.Body.Contains(s.Identifier));
        if (duplicate is not null)
        {
            reply = CommandDispatcher.ErrorReply(ErrorCodes.DuplicateSequenceField, ErrorCodes.NameOf(ErrorCodes.DuplicateSequenceField), "Duplicate field between body and document sequence " + duplicate.Identifier);
        }
        else if (message.Body.GetValueOrDefault(CommandMessage.DatabaseField) is not BsonString database)
        {
            reply = message.Body.Contains(CommandMessage.DatabaseField)
                ? CommandDispatcher.ErrorReply(ErrorCodes.TypeMismatch, ErrorCodes.NameOf(ErrorCodes.TypeMismatch), "BSON field '$db' is the wrong type, expected type 'string'")
                : CommandDispatcher.ErrorReply(ErrorCodes.OpMsgMissingDatabase, ErrorCodes.NameOf(ErrorCodes.OpMsgMissingDatabase), "OP_MSG requests require a $db argument");
        }
        else
        {
            var context = new CommandContext(database.Value, message.Body, message.Sequences, State, _server);
            reply = await _server.Dispatcher.DispatchAsync(context, token).ConfigureAwait(false);
        }

        if (message.MoreToCome)
        {
            return null;
        }

        return OpMsgMessage.CreateReply(message, reply, message.ChecksumPresent ? OpMsgFlags.ChecksumPresent : OpMsgFlags.None);
    }

    private async Task WriteAsync(NetworkStream stream, WireMessage reply, CancellationToken token)
    {
        using var buffer = new PooledBufferWriter();
        int length;
        try
        {
            length = WireMessageCodec.Encode(reply, buffer, Limits);
        }
        catch (ArgumentException ex)
        {
            // The reply is larger than a message may be (nothing was written): answer with an error.
            length = WireMessageCodec.Encode(TooLarge(reply, ex.Message), buffer, Limits);
        }

        await stream.WriteAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
        _server.Counters.RecordReply(length);
    }

    private static WireMessage TooLarge(WireMessage reply, string message)
    {
        var error = CommandDispatcher.ErrorReply(10334, "BSONObjectTooLarge", message);
        return reply is OpMsgMessage msg
            ? new OpMsgMessage(error, null, msg.Flags & OpMsgFlags.ChecksumPresent) { ResponseTo = reply.ResponseTo, RequestId = reply.RequestId }
            : new OpReplyMessage([error]) { ResponseFlags = OpReplyFlags.AwaitCapable, ResponseTo = reply.ResponseTo, RequestId = reply.RequestId };
    }

    private void WarnLegacyOp(string op)
    {
        if (_warnedLegacyOp)
        {
            return;
        }

        _warnedLegacyOp = true;
        _server.Log.Warning("COMMAND", 5578800, State.Name, "Deprecated operation requested. For more details see https://dochub.mongodb.org/core/legacy-opcode-compatibility", new BsonDocument
        {
            { "op", op },
            { "clientInfo", new BsonDocument { { "remote", State.RemoteAddress }, { "client", State.Name } } },
        });
    }

    private void LogEnding(string error)
        => _server.Log.Info("NETWORK", 22988, State.Name, "Error receiving request from client. Ending connection from remote", new BsonDocument
        {
            { "error", error },
            { "remote", State.RemoteAddress },
            { "connectionId", State.Id },
        });

    private BsonDocument ConnectionAttributes(long count) => new()
    {
        { "remote", State.RemoteAddress },
        { "uuid", new BsonDocument("uuid", new BsonDocument("$uuid", _uuid.ToString())) },
        { "connectionId", State.Id },
        { "connectionCount", count },
    };

    /// <summary>A problem that ends the connection without a reply.</summary>
    private sealed class ConnectionFatalException(string message) : Exception(message);
}
