using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>What the server did with one input.</summary>
/// <param name="Replies">Replies that answered the input (not the probe).</param>
/// <param name="Closed">The server closed (or reset) the connection.</param>
/// <param name="ErrorCodes">The <c>code</c> of every <c>ok: 0</c> reply among them.</param>
internal readonly record struct FuzzOutcome(int Replies, bool Closed, IReadOnlyList<int> ErrorCodes);

/// <summary>
/// A raw socket to the emulator for fuzzing. Closing uses a zero linger (a reset), so tens of
/// thousands of short connections leave no TIME_WAIT entries to exhaust the ephemeral ports.
/// </summary>
internal sealed class FuzzConnection : IDisposable
{
    private static readonly byte[] ProbeTemplate = WireMessageCodec.ToBytes(CommandMessage.Create("admin", new BsonDocument("ping", 1)));
    private static readonly int[] NoCodes = [];

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private FuzzConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<FuzzConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            LingerState = new LingerOption(true, 0),
        };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new FuzzConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a well-framed input: sends it and a ping probe in one write, then reads until the
    /// probe's reply (the connection survived; replies before it answered the input) or until
    /// the server closes the connection.
    /// </summary>
    public async Task<FuzzOutcome> SendWithProbeAsync(byte[] input, int probeId, CancellationToken cancellationToken)
    {
        var buffer = new byte[input.Length + ProbeTemplate.Length];
        input.CopyTo(buffer, 0);
        ProbeTemplate.CopyTo(buffer, input.Length);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(input.Length + 4), probeId);
        if (!await TrySendAsync(buffer, cancellationToken))
        {
            return new FuzzOutcome(0, Closed: true, NoCodes);
        }

        var replies = 0;
        List<int>? codes = null;
        while (true)
        {
            var reply = await TryReadReplyAsync(cancellationToken);
            if (reply is null)
            {
                return new FuzzOutcome(replies, Closed: true, (IReadOnlyList<int>?)codes ?? NoCodes);
            }

            if (reply.Value.ResponseTo == probeId)
            {
                if (reply.Value.ErrorCode is not null)
                {
                    throw new InvalidOperationException($"The ping probe failed with code {reply.Value.ErrorCode}.");
                }

                return new FuzzOutcome(replies, Closed: false, (IReadOnlyList<int>?)codes ?? NoCodes);
            }

            replies++;
            if (reply.Value.ErrorCode is { } code)
            {
                (codes ??= []).Add(code);
            }
        }
    }

    /// <summary>
    /// For an input whose framing is broken (truncated, a declared length that does not match,
    /// garbage after it): sends it, ends the sending side so the server sees the end of the
    /// stream, and reads replies until the server closes the connection.
    /// </summary>
    public async Task<FuzzOutcome> SendAndFinishAsync(byte[] input, CancellationToken cancellationToken)
    {
        if (await TrySendAsync(input, cancellationToken))
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // Already reset by the server.
            }
        }

        var replies = 0;
        List<int>? codes = null;
        while (await TryReadReplyAsync(cancellationToken) is { } reply)
        {
            replies++;
            if (reply.ErrorCode is { } code)
            {
                (codes ??= []).Add(code);
            }
        }

        return new FuzzOutcome(replies, Closed: true, (IReadOnlyList<int>?)codes ?? NoCodes);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private async Task<bool> TrySendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The next reply's responseTo and error code, or null when the server closed the connection.</summary>
    private async Task<(int ResponseTo, int? ErrorCode)?> TryReadReplyAsync(CancellationToken cancellationToken)
    {
        WireFrame? frame;
        try
        {
            frame = await WireStream.ReadFrameAsync(_stream, cancellationToken: cancellationToken);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }

        if (frame is null)
        {
            return null;
        }

        using (frame)
        {
            // Replies come from the server: a malformed one is a server bug (the decoder throws).
            var body = frame.Decode() switch
            {
                OpMsgMessage msg => msg.Body,
                OpReplyMessage reply => reply.Documents.Count > 0 ? reply.Documents[0] : [],
                var other => throw new InvalidOperationException($"The server answered with a {other.OpCode}."),
            };
            int? code = body.GetValueOrDefault("ok") is { IsNumeric: true } ok && ok.ToDouble() == 0
                ? body.GetValueOrDefault("code") is { IsNumeric: true } c ? (int)c.ToInt64() : -1
                : null;
            return (frame.Header.ResponseTo, code);
        }
    }
}
