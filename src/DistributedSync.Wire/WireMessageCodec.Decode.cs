using System.Buffers;
using System.Buffers.Binary;
using DistributedSync.Bson;

namespace DistributedSync.Wire;

/// <summary>
/// Encodes and decodes complete wire-protocol messages (OP_MSG, OP_QUERY, OP_REPLY) on buffers.
/// Every malformed input raises <see cref="WireProtocolException"/> and nothing else.
/// </summary>
public static partial class WireMessageCodec
{
    /// <summary>
    /// Decodes exactly one complete message: <paramref name="message"/> must hold the header and
    /// exactly <c>messageLength</c> bytes, no fewer and no more.
    /// </summary>
    /// <exception cref="WireProtocolException">The bytes are not one valid message within the limits.</exception>
    public static WireMessage Decode(ReadOnlySpan<byte> message, WireLimits? limits = null)
    {
        limits ??= WireLimits.Default;
        var header = MessageHeader.Read(message);
        CheckHeader(header, message.Length, limits);
        return header.OpCode switch
        {
            OpCode.Msg => DecodeMsg(header, message, limits),
            OpCode.Query => DecodeQuery(header, message, limits),
            _ => DecodeReply(header, message, limits),
        };
    }

    /// <summary>
    /// Decodes exactly one complete message held in a (possibly multi-segment) sequence, such as a
    /// frame from <see cref="WireFraming.TryReadFrame"/>. The length is checked before anything is copied.
    /// </summary>
    /// <exception cref="WireProtocolException">The bytes are not one valid message within the limits.</exception>
    public static WireMessage Decode(in ReadOnlySequence<byte> message, WireLimits? limits = null)
    {
        limits ??= WireLimits.Default;
        if (message.IsSingleSegment)
        {
            return Decode(message.FirstSpan, limits);
        }

        if (!MessageHeader.TryRead(message, out var header))
        {
            throw new WireProtocolException(message.Length, $"The message ends inside its {MessageHeader.Size}-byte header.");
        }

        CheckHeader(header, message.Length, limits);
        var length = header.MessageLength;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            return Decode(rented.AsSpan(0, length), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void CheckHeader(in MessageHeader header, long available, WireLimits limits)
    {
        header.Validate(limits);
        if (available < header.MessageLength)
        {
            throw new WireProtocolException(available, $"The message ends after {available} of its declared {header.MessageLength} bytes.");
        }

        if (available > header.MessageLength)
        {
            throw new WireProtocolException(header.MessageLength, $"{available - header.MessageLength} bytes follow the end of the {header.MessageLength}-byte message.");
        }
    }

    private static OpMsgMessage DecodeMsg(in MessageHeader header, ReadOnlySpan<byte> message, WireLimits limits)
    {
        var reader = new MessageReader(message, limits, MessageHeader.Size);
        var flags = (OpMsgFlags)(uint)reader.ReadInt32("flagBits");
        var unknown = OpMsgFlagBits.UnknownRequiredBits(flags);
        if (unknown != 0)
        {
            throw new WireProtocolException(MessageHeader.Size, $"Unknown required OP_MSG flag bits 0x{unknown:X4}.");
        }

        if ((flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            VerifyChecksum(message);
            reader.End = message.Length - 4;
        }

        BsonDocument? body = null;
        List<DocumentSequence>? sequences = null;
        while (reader.HasMore)
        {
            var sectionStart = reader.Position;
            var kind = reader.ReadByte("section kind");
            switch (kind)
            {
                case 0:
                    if (body is not null)
                    {
                        throw new WireProtocolException(sectionStart, "The message has a second body section (kind 0); exactly one is allowed.");
                    }

                    body = reader.ReadDocument("The body section", reader.End);
                    break;
                case 1:
                    var sequence = ReadSequence(ref reader, limits);
                    sequences ??= [];
                    foreach (var existing in sequences)
                    {
                        if (string.Equals(existing.Identifier, sequence.Identifier, StringComparison.Ordinal))
                        {
                            throw new WireProtocolException(sectionStart + 5, $"A second document sequence is named '{sequence.Identifier}'.");
                        }
                    }

                    sequences.Add(sequence);
                    break;
                default:
                    throw new WireProtocolException(sectionStart, $"Unknown section kind {kind}.");
            }
        }

        if (body is null)
        {
            throw new WireProtocolException(reader.End, "The message has no body section (kind 0).");
        }

        return new OpMsgMessage(flags, body, sequences is null ? [] : sequences)
        {
            RequestId = header.RequestId,
            ResponseTo = header.ResponseTo,
        };
    }

    private static void VerifyChecksum(ReadOnlySpan<byte> message)
    {
        // The minimum OP_MSG length leaves room for the 4 checksum bytes after the flag bits.
        var checksumOffset = message.Length - 4;
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(message[checksumOffset..]);
        var actual = Crc32C.Compute(message[..checksumOffset]);
        if (declared != actual)
        {
            throw new WireProtocolException(checksumOffset, $"The CRC-32C checksum 0x{declared:X8} does not match the computed 0x{actual:X8}.");
        }
    }

    private static DocumentSequence ReadSequence(ref MessageReader reader, WireLimits limits)
    {
        var start = reader.Position;
        var size = reader.ReadInt32("document sequence size");
        if (size < 5)
        {
            throw new WireProtocolException(start, $"A document sequence declares a size of {size}, below the 5-byte minimum.");
        }

        if (size > reader.End - start)
        {
            throw new WireProtocolException(start, $"A document sequence declares a size of {size} but only {reader.End - start} bytes of sections remain.");
        }

        var end = start + size;
        var identifier = reader.ReadCString("document sequence identifier", end);
        if (limits.DeferSequenceDocuments)
        {
            var received = new List<byte[]>();
            var offsets = new List<int>();
            while (reader.Position < end)
            {
                offsets.Add(reader.Position);
                received.Add(reader.SkipDocument(DocumentSequence.DocumentLabel, end, identifier).ToArray());
            }

            return new DocumentSequence(identifier, [.. received], [.. offsets], limits.Documents);
        }

        var documents = new List<BsonDocument>();
        List<byte[]>? raw = limits.RetainRawDocuments ? [] : null;
        while (reader.Position < end)
        {
            var documentStart = reader.Position;
            documents.Add(reader.ReadDocument(DocumentSequence.DocumentLabel, end, identifier));
            raw?.Add(reader.Slice(documentStart, reader.Position).ToArray());
        }

        return new DocumentSequence(identifier, documents, raw?.ToArray());
    }

    private static OpQueryMessage DecodeQuery(in MessageHeader header, ReadOnlySpan<byte> message, WireLimits limits)
    {
        var reader = new MessageReader(message, limits, MessageHeader.Size);
        var flags = (OpQueryFlags)reader.ReadInt32("OP_QUERY flags");
        var name = reader.ReadCString("fullCollectionName", reader.End);
        var skip = reader.ReadInt32("numberToSkip");
        var toReturn = reader.ReadInt32("numberToReturn");
        var query = reader.ReadDocument("The query document", reader.End);
        var selector = reader.HasMore ? reader.ReadDocument("The returnFieldsSelector document", reader.End) : null;
        if (reader.HasMore)
        {
            throw new WireProtocolException(reader.Position, "Bytes follow the returnFieldsSelector of an OP_QUERY.");
        }

        return new OpQueryMessage(name, query)
        {
            Flags = flags,
            NumberToSkip = skip,
            NumberToReturn = toReturn,
            ReturnFieldsSelector = selector,
            RequestId = header.RequestId,
            ResponseTo = header.ResponseTo,
        };
    }

    private static OpReplyMessage DecodeReply(in MessageHeader header, ReadOnlySpan<byte> message, WireLimits limits)
    {
        var reader = new MessageReader(message, limits, MessageHeader.Size);
        var flags = (OpReplyFlags)reader.ReadInt32("responseFlags");
        var cursorId = reader.ReadInt64("cursorID");
        var startingFrom = reader.ReadInt32("startingFrom");
        var countOffset = reader.Position;
        var numberReturned = reader.ReadInt32("numberReturned");
        if (numberReturned < 0)
        {
            throw new WireProtocolException(countOffset, $"numberReturned is negative ({numberReturned}).");
        }

        // A hostile count must not size an allocation: at most one document per 5 bytes fits.
        var documents = new List<BsonDocument>(Math.Min(numberReturned, (reader.End - reader.Position) / 5));
        while (reader.HasMore)
        {
            if (documents.Count == numberReturned)
            {
                throw new WireProtocolException(reader.Position, $"Bytes follow the {numberReturned} documents numberReturned announces.");
            }

            documents.Add(reader.ReadDocument("A reply document", reader.End));
        }

        if (documents.Count != numberReturned)
        {
            throw new WireProtocolException(reader.End, $"numberReturned is {numberReturned} but the message holds {documents.Count} documents.");
        }

        return new OpReplyMessage(documents, decoded: true)
        {
            ResponseFlags = flags,
            CursorId = cursorId,
            StartingFrom = startingFrom,
            RequestId = header.RequestId,
            ResponseTo = header.ResponseTo,
        };
    }
}
