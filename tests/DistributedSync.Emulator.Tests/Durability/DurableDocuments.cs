using System.Text;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Tests.Durability;

/// <summary>
/// The documents the durability test writes. Each is a pure function of its <c>_id</c>, so a
/// document read back after a crash can be checked field by field against what was sent: a torn
/// or corrupt document cannot pass.
/// </summary>
internal static class DurableDocuments
{
    public const string Database = "durability";
    public const string Collection = "acked";

    public static long IdOf(int round, int writer, int sequence) => (round * 100_000_000L) + (writer * 1_000_000L) + sequence;

    public static BsonDocument Create(long id)
    {
        var round = (int)(id / 100_000_000);
        var writer = (int)(id / 1_000_000 % 100);
        var sequence = (int)(id % 1_000_000);
        var hash = (uint)((ulong)id * 2_654_435_761UL % 1_000_003);
        var text = new StringBuilder();
        for (var i = 0; text.Length < 40 + (int)(hash % 1400); i++)
        {
            text.Append((char)('a' + ((hash + (uint)i * 7) % 26)));
        }

        var bytes = new byte[16 + (int)(hash % 48)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(hash >> (i % 24));
        }

        return new BsonDocument
        {
            { "_id", id },
            { "round", round },
            { "writer", writer },
            { "seq", sequence },
            { "text", text.ToString() },
            { "bytes", new BsonBinaryData(bytes) },
            { "nested", new BsonDocument { { "a", sequence }, { "b", new BsonArray([sequence, sequence * 2L, sequence / 3.0]) } } },
        };
    }
}
