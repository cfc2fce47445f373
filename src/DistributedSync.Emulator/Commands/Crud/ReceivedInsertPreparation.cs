using System.Buffers.Binary;
using System.Runtime.InteropServices;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Server;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <see cref="InsertPreparation"/> for documents that arrived as received bytes in a kind-1
/// sequence (the connection checks them with <c>RawBsonValidator</c> and defers decoding). A
/// canonical document (<see cref="RawDocumentShape"/>) that passes every check and needs no
/// change is stored as received, with only its <c>_id</c> decoded; one without <c>_id</c> gets
/// a generated ObjectId spliced in front. Anything else (a failed check, an <c>_id</c> to move,
/// a timestamp to fill, an <c>_id</c> document, non-canonical bytes) takes the decoded path, so
/// errors and stored bytes are exactly those of <see cref="InsertPreparation.PrepareForStorage"/>.
/// </summary>
internal static class ReceivedInsertPreparation
{
    private const int IdElementSize = 1 + 4 + 12; // type byte, "_id\0", an ObjectId

    /// <summary>The document <paramref name="index"/> of <paramref name="sequence"/>, ready to store, or throws mongod's error.</summary>
    public static PreparedInsert Prepare(DocumentSequence sequence, int index, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(time);
        var received = sequence.GetRawDocument(index);
        var bytes = received.Span;
        var shape = RawDocumentShape.Read(bytes);
        var storable = shape.Canonical && !shape.ZeroTimestamp
            && bytes.Length <= ServerVersion.MaxBsonObjectSize && shape.Depth <= BsonReaderOptions.MaxStoredDocumentDepth;
        if (storable && shape.IdFirst && IsPlainId((BsonType)bytes[shape.IdElement]))
        {
            return new PreparedInsert(DecodeId(bytes[shape.IdElement..shape.IdEnd]), Owned(received), null);
        }

        if (storable && shape.IdCount == 0)
        {
            var id = ObjectId.GenerateNewId(time);
            return new PreparedInsert(new BsonObjectId(id), PrependObjectId(bytes, id), null);
        }

        return PrepareDecoded(sequence.Documents[index], received, shape, time);
    }

    // The decoded path, still using the received bytes when they are canonical.
    private static PreparedInsert PrepareDecoded(BsonDocument document, ReadOnlyMemory<byte> received, RawDocumentShape shape, TimeProvider time)
    {
        if (!shape.Canonical)
        {
            return InsertPreparation.PrepareForStorage(document, time);
        }

        var result = InsertPreparation.Fix(document, (received.Length, shape.Depth), time, out var generatedId);
        if (ReferenceEquals(result, document))
        {
            return new PreparedInsert(result["_id"], Owned(received), result);
        }

        return generatedId is { } id
            ? new PreparedInsert(result["_id"], PrependObjectId(received.Span, id), result)
            : new PreparedInsert(result["_id"], BsonCodec.ToBytes(result), result);
    }

    // _id types that need no check beyond the decoder's (InsertPreparation.ValidateId refuses
    // regex, array and undefined, and looks inside documents).
    private static bool IsPlainId(BsonType type)
        => type is not (BsonType.RegularExpression or BsonType.Array or BsonType.Undefined or BsonType.Document);

    // The value of one element, decoded on its own (an ObjectId without the decoder).
    private static BsonValue DecodeId(ReadOnlySpan<byte> element)
    {
        if (element[0] == (byte)BsonType.ObjectId)
        {
            return new BsonObjectId(new ObjectId(element[^12..]));
        }

        var single = new byte[4 + element.Length + 1];
        BinaryPrimitives.WriteInt32LittleEndian(single, single.Length);
        element.CopyTo(single.AsSpan(4));
        return BsonCodec.Decode(single)[0].Value;
    }

    // The connection keeps each received document in an array of its own, never written again:
    // store that array rather than a copy.
    private static byte[] Owned(ReadOnlyMemory<byte> received)
        => MemoryMarshal.TryGetArray(received, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : received.ToArray();

    // The canonical bytes of a document without _id, with an ObjectId _id element put first.
    private static byte[] PrependObjectId(ReadOnlySpan<byte> document, ObjectId id)
    {
        var bytes = new byte[document.Length + IdElementSize];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        bytes[4] = (byte)BsonType.ObjectId;
        "_id\0"u8.CopyTo(bytes.AsSpan(5));
        id.WriteTo(bytes.AsSpan(9, 12));
        document[4..].CopyTo(bytes.AsSpan(4 + IdElementSize));
        return bytes;
    }
}
