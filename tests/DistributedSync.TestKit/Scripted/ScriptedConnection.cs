using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DistributedSync.Wire;

namespace DistributedSync.TestKit.Scripted;

/// <summary>The server side of one client connection of a <see cref="ScriptedMongoServer"/>.</summary>
internal sealed class ScriptedConnection
{
    private readonly ScriptedMongoServer _server;
    private readonly Socket _socket;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationToken _stop;
    private Stream _stream;
    private int _open = 1;
    private int _requestCount;

    public ScriptedConnection(ScriptedMongoServer server, long id, Socket socket, X509Certificate2? certificate, CancellationToken stop)
    {
        _server = server;
        Id = id;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _certificate = certificate;
        _stop = stop;
    }

    public long Id { get; }

    public bool IsOpen => Volatile.Read(ref _open) != 0;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    public void Close()
    {
        if (Interlocked.Exchange(ref _open, 0) == 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _stream.Dispose();
        _server.NotifyChanged();
    }

    private async Task RunAsync()
    {
        try
        {
            if (_certificate is not null)
            {
                var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
                _stream = ssl;
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop).ConfigureAwait(false);
            }

            while (IsOpen && !_stop.IsCancellationRequested)
            {
                var message = await WireStream.ReadMessageAsync(_stream, null, _stop).ConfigureAwait(false);
                if (message is not OpMsgMessage request)
                {
                    // End of stream, or a message kind this server does not speak.
                    return;
                }

                var scripted = new ScriptedRequest(Id, ++_requestCount, request);
                _server.Record(scripted);
                if (request.MoreToCome)
                {
                    continue;
                }

                if (!await ExecuteAsync(request, _server.Respond(scripted)).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException or WireProtocolException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away, sent garbage, or the server is stopping.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Carries out a response; false when the connection must end.</summary>
    private async Task<bool> ExecuteAsync(OpMsgMessage request, ScriptedResponse response)
    {
        switch (response)
        {
            case ScriptedResponse.ReplyResponse reply:
                await WireStream.WriteMessageAsync(_stream, OpMsgMessage.CreateReply(request, reply.Body), null, _stop).ConfigureAwait(false);
                return true;

            case ScriptedResponse.DelayedResponse delayed:
                await Task.Delay(delayed.Delay, _stop).ConfigureAwait(false);
                return await ExecuteAsync(request, delayed.Then).ConfigureAwait(false);

            case ScriptedResponse.CloseResponse:
                return false;

            case ScriptedResponse.CloseMidReplyResponse mid:
                var bytes = WireMessageCodec.ToBytes(OpMsgMessage.CreateReply(request, mid.Body));
                await _stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), _stop).ConfigureAwait(false);
                await _stream.FlushAsync(_stop).ConfigureAwait(false);
                return false;

            case ScriptedResponse.GarbageResponse garbage:
                await _stream.WriteAsync(garbage.Bytes, _stop).ConfigureAwait(false);
                return true;

            case ScriptedResponse.WrongResponseToResponse wrong:
                var misdirected = new OpMsgMessage(wrong.Body) { RequestId = RequestIds.Next(), ResponseTo = request.RequestId + 1000 };
                await WireStream.WriteMessageAsync(_stream, misdirected, null, _stop).ConfigureAwait(false);
                return true;

            case ScriptedResponse.HangResponse:
                // Wait for the client to close (a read returns 0) or the server to stop.
                var sink = new byte[1];
                while (await _stream.ReadAsync(sink, _stop).ConfigureAwait(false) > 0)
                {
                }

                return false;

            default:
                throw new InvalidOperationException("Unknown scripted response " + response.GetType().Name);
        }
    }
}
