using System.Diagnostics;
using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>
/// A well-behaved client on its own connection, open for the whole fuzz run: every check sends a
/// hello and must get its answer within <see cref="FuzzSettings.CanaryDeadline"/>, proving the
/// fuzzing of other connections hangs neither the server nor this connection.
/// </summary>
internal sealed class CanaryConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private CanaryConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public int Checks { get; private set; }

    public TimeSpan SlowestAnswer { get; private set; }

    public static async Task<CanaryConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        return new CanaryConnection(tcp);
    }

    /// <summary>Sends hello and waits for its answer; throws <see cref="FuzzFailureException"/> when none comes in time.</summary>
    public async Task CheckAsync(string when, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var request = CommandMessage.Create("admin", new BsonDocument("hello", 1));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(FuzzSettings.CanaryDeadline);
            WireMessage? reply;
            try
            {
                await WireStream.WriteMessageAsync(_stream, request, cancellationToken: deadline.Token);
                reply = await WireStream.ReadMessageAsync(_stream, cancellationToken: deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FuzzFailureException($"The canary connection got no hello answer within {FuzzSettings.CanaryDeadline.TotalSeconds} s {when}.");
            }
            catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException)
            {
                throw new FuzzFailureException($"The canary connection broke {when}: {ex.Message}", ex);
            }

            if (reply is not OpMsgMessage msg || msg.ResponseTo != request.RequestId || msg.Body.GetValueOrDefault("isWritablePrimary") != BsonBoolean.True)
            {
                throw new FuzzFailureException($"The canary's hello got a wrong answer {when}: {(reply as OpMsgMessage)?.Body.ToString() ?? reply?.OpCode.ToString() ?? "end of stream"}");
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            SlowestAnswer = elapsed > SlowestAnswer ? elapsed : SlowestAnswer;
            Checks++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
        _gate.Dispose();
    }
}

/// <summary>A property the fuzz test checks was violated (a hang, a broken canary, ...).</summary>
internal sealed class FuzzFailureException : Exception
{
    public FuzzFailureException(string message)
        : base(message)
    {
    }

    public FuzzFailureException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
