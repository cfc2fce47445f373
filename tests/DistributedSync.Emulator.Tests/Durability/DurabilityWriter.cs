using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Durability;

/// <summary>
/// One client connection inserting batches of <see cref="DurableDocuments"/> one request at a
/// time (raw OP_MSG, kind-1 <c>documents</c>) until the connection breaks. A batch is
/// acknowledged once its reply (<c>ok: 1</c>, <c>n</c> = batch size, no write errors) has been
/// read; the batch in flight when the connection broke is recorded as unacknowledged.
/// </summary>
internal sealed class DurabilityWriter(int round, int writer, int port, Random random, bool journaled, Action<int> acknowledged)
{
    private readonly List<long> _acknowledged = [];
    private readonly List<long> _unacknowledged = [];

    public IReadOnlyList<long> Acknowledged => _acknowledged;

    public IReadOnlyList<long> Unacknowledged => _unacknowledged;

    /// <summary>Why the writer stopped (the connection error), for diagnostics.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Writes until the server goes away. Throws when the server rejects a write (that is a bug, not a crash).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        }
        catch (SocketException ex)
        {
            // The kill came before this writer got connected (a small kill target).
            StopReason = "could not connect: " + ex.Message;
            return;
        }

        await using var stream = tcp.GetStream();
        var sequence = 0;
        while (sequence < 999_000)
        {
            var count = random.Next(1, 9);
            var ids = Enumerable.Range(sequence, count).Select(s => DurableDocuments.IdOf(round, writer, s)).ToList();
            sequence += count;
            var command = new BsonDocument { { "insert", DurableDocuments.Collection }, { "ordered", true } };
            if (journaled)
            {
                command.Add("writeConcern", new BsonDocument { { "w", 1 }, { "j", true } });
            }

            var request = CommandMessage.Create(DurableDocuments.Database, command, "documents", ids.Select(DurableDocuments.Create));
            WireMessage? reply;
            try
            {
                await WireStream.WriteMessageAsync(stream, request, cancellationToken: cancellationToken);
                reply = await WireStream.ReadMessageAsync(stream, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException)
            {
                _unacknowledged.AddRange(ids);
                StopReason = ex.GetType().Name + ": " + ex.Message;
                return;
            }

            if (reply is null)
            {
                _unacknowledged.AddRange(ids);
                StopReason = "end of stream";
                return;
            }

            var body = ((OpMsgMessage)reply).Body;
            if (body.GetValueOrDefault("ok") is not { IsNumeric: true } ok || ok.ToDouble() != 1 || body["n"].ToInt64() != count || body.Contains("writeErrors") || body.Contains("writeConcernError"))
            {
                throw new InvalidOperationException($"Writer {writer} of round {round}: the server refused an insert: {body}");
            }

            _acknowledged.AddRange(ids);
            acknowledged(count);
        }

        StopReason = "wrote its maximum";
    }
}
