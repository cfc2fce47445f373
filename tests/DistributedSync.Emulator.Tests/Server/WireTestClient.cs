using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

/// <summary>A raw wire-protocol client for tests: send any message or bytes, read replies with a deadline.</summary>
internal sealed class WireTestClient : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private WireTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<WireTestClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        return new WireTestClient(tcp);
    }

    public async Task SendAsync(WireMessage message, CancellationToken cancellationToken)
        => await WireStream.WriteMessageAsync(_stream, message, cancellationToken: cancellationToken);

    public async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
        => await _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>The next message; fails the test when none arrives in time or the server closes.</summary>
    public async Task<WireMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReplyTimeout);
        var message = await WireStream.ReadMessageAsync(_stream, cancellationToken: deadline.Token);
        Assert.NotNull(message);
        return message;
    }

    /// <summary>Sends an OP_MSG command to <paramref name="database"/> and returns the reply body.</summary>
    public async Task<BsonDocument> CommandAsync(string database, BsonDocument command, CancellationToken cancellationToken, OpMsgFlags flags = OpMsgFlags.None)
    {
        var request = CommandMessage.Create(database, command, flags: flags);
        await SendAsync(request, cancellationToken);
        var reply = Assert.IsType<OpMsgMessage>(await ReceiveAsync(cancellationToken));
        Assert.Equal(request.RequestId, reply.ResponseTo);
        return reply.Body;
    }

    /// <summary>True when the server closes the connection (end of stream or reset) within the timeout.</summary>
    public async Task<bool> WaitForServerCloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, deadline.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
