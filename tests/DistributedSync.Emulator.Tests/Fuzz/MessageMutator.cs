using System.Buffers.Binary;
using System.Text;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>One fuzz input: the bytes to send and how they were made (for failure reports).</summary>
internal sealed record FuzzInput(byte[] Bytes, string Description)
{
    /// <summary>
    /// True when the declared length equals the byte count: the server reads exactly this
    /// message and then waits for the next one, so the connection can be probed and reused.
    /// </summary>
    public bool FramingIntact
        => Bytes.Length >= MessageHeader.Size && BinaryPrimitives.ReadInt32LittleEndian(Bytes) == Bytes.Length;

    /// <summary>The bytes as hex (the first <paramref name="max"/>), for failure messages.</summary>
    public string Hex(int max = 512)
        => Convert.ToHexString(Bytes.AsSpan(0, Math.Min(max, Bytes.Length))) + (Bytes.Length > max ? $"... ({Bytes.Length} bytes)" : string.Empty);
}

/// <summary>
/// Makes fuzz inputs from <see cref="FuzzCorpus.Seeds"/>: bit flips, byte overwrites, damaged
/// BSON (lengths, type bytes, terminators, strings), changed section kinds and section
/// structures, flag bits, truncation (with and without a matching length field), declared
/// lengths from negative to <see cref="int.MaxValue"/>, garbage after a valid message, framed
/// and unframed random bytes, splices of two seeds, very deep nesting, and well-formed messages
/// with changed values (<see cref="DocumentMutator"/>). The output depends
/// only on the <see cref="Random"/> given, never on the server.
/// </summary>
internal sealed class MessageMutator(Random random)
{
    private static readonly int[] InterestingInts =
    [
        int.MinValue, -1, 0, 1, 4, 5, 15, 16, 17, 20, 21, 26, 127, 128, 255, 256, 4096, 65_535, 65_536,
        16 * 1024 * 1024, (16 * 1024 * 1024) + (16 * 1024) + 1, WireLimits.DefaultMaxMessageSize, WireLimits.DefaultMaxMessageSize + 1,
        int.MaxValue - 1, int.MaxValue,
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, 0x13, 0x14, 0x20, 0x24];

    private static readonly int[] OpCodes = [1, 2001, 2002, 2004, 2005, 2006, 2007, 2010, 2011, 2012, 2013, 0, -1, 9999];

    private static readonly (string Name, int Weight)[] Strategies =
    [
        ("valid", 3),
        ("values", 25),
        ("bitflip", 12),
        ("overwrite", 8),
        ("bson", 22),
        ("section-kind", 7),
        ("section-structure", 9),
        ("flags", 5),
        ("truncate", 5),
        ("truncate-fixed", 6),
        ("length-field", 6),
        ("trailing-garbage", 5),
        ("insert-delete", 5),
        ("garbage-framed", 6),
        ("garbage-raw", 3),
        ("splice", 4),
        ("deep-nesting", 1),
        ("stacked", 6),
    ];

    private static readonly int TotalWeight = Strategies.Sum(s => s.Weight);

    private readonly Random _random = random;
    private readonly DocumentMutator _documents = new(random);

    public FuzzInput Next()
    {
        var seed = FuzzCorpus.Seeds[_random.Next(FuzzCorpus.Seeds.Count)];
        var strategy = PickStrategy();
        if (strategy == "values" && _documents.Next() is { } valueMutation)
        {
            return valueMutation;
        }

        var description = new StringBuilder(seed.Name).Append(": ").Append(strategy);
        var bytes = Apply(strategy, seed, description);

        // A mutated checksummed message is mostly re-checksummed, so the damage reaches the parser.
        if (strategy != "valid" && IsChecksummedMsg(bytes) && _random.Next(4) != 0)
        {
            FixChecksum(bytes);
            description.Append(" +crc");
        }

        return new FuzzInput(bytes, description.ToString());
    }

    private string PickStrategy()
    {
        var roll = _random.Next(TotalWeight);
        foreach (var (name, weight) in Strategies)
        {
            if (roll < weight)
            {
                return name;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    private byte[] Apply(string strategy, SeedMessage seed, StringBuilder description)
    {
        var bytes = (byte[])seed.Bytes.Clone();
        switch (strategy)
        {
            case "valid":
                return bytes;
            case "bitflip" or "values":
                BitFlips(bytes, description);
                return bytes;
            case "overwrite":
                Overwrite(bytes, description);
                return bytes;
            case "bson":
                DamageBson(bytes, seed, description);
                return bytes;
            case "section-kind":
                ChangeSectionKind(bytes, seed, description);
                return bytes;
            case "section-structure":
                return RestructureSections(bytes, seed, description);
            case "flags":
                ChangeFlags(bytes, seed, description);
                return bytes;
            case "truncate":
                return Truncate(bytes, fixLength: false, description);
            case "truncate-fixed":
                return Truncate(bytes, fixLength: true, description);
            case "length-field":
                var value = PickLength(bytes.Length);
                BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
                description.Append(" length=").Append(value);
                return bytes;
            case "trailing-garbage":
                return TrailingGarbage(bytes, description);
            case "insert-delete":
                return InsertOrDelete(bytes, description);
            case "garbage-framed":
                return FramedGarbage(description);
            case "garbage-raw":
                return RandomBytes(_random.Next(1, 300));
            case "splice":
                return Splice(bytes, seed, description);
            case "deep-nesting":
                return DeepNesting(description);
            default:
                var rounds = _random.Next(2, 4);
                for (var i = 0; i < rounds; i++)
                {
                    switch (_random.Next(4))
                    {
                        case 0: BitFlips(bytes, description); break;
                        case 1: Overwrite(bytes, description); break;
                        case 2: DamageBson(bytes, seed, description); break;
                        default: ChangeFlags(bytes, seed, description); break;
                    }
                }

                return bytes;
        }
    }

    private void BitFlips(byte[] bytes, StringBuilder description)
    {
        var count = _random.Next(1, 9);
        for (var i = 0; i < count; i++)
        {
            // Mostly after the length field, so that most flips keep the framing.
            var position = _random.Next(10) == 0 ? _random.Next(bytes.Length) : _random.Next(4, bytes.Length);
            var bit = _random.Next(8);
            bytes[position] ^= (byte)(1 << bit);
            description.Append(" flip@").Append(position).Append('.').Append(bit);
        }
    }

    private void Overwrite(byte[] bytes, StringBuilder description)
    {
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var position = _random.Next(4, bytes.Length);
            var value = _random.Next(3) == 0 ? (byte)_random.Next(256) : InterestingBytes[_random.Next(InterestingBytes.Length)];
            bytes[position] = value;
            description.Append(" set@").Append(position).Append('=').Append(value);
        }
    }

    private void DamageBson(byte[] bytes, SeedMessage seed, StringBuilder description)
    {
        var layout = seed.Layout;
        switch (_random.Next(7))
        {
            case 0:
                var documentLength = Pick(layout.DocumentLengths);
                var current = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(documentLength));
                int[] choices = [0, 4, 5, current - 1, current + 1, current + 100, -1, int.MaxValue, int.MinValue, _random.Next()];
                var length = choices[_random.Next(choices.Length)];
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(documentLength), length);
                description.Append(" doclen@").Append(documentLength).Append('=').Append(length);
                break;
            case 1:
                var typeByte = Pick(layout.TypeBytes);
                byte[] types = [0x00, 0x14, 0x15, 0x20, 0x7E, 0x80, 0xFE, (byte)_random.Next(1, 0x14), (byte)_random.Next(256)];
                bytes[typeByte] = types[_random.Next(types.Length)];
                description.Append(" type@").Append(typeByte).Append('=').Append(bytes[typeByte]);
                break;
            case 2:
                var name = Pick(layout.NameTerminators);
                bytes[name] = (byte)_random.Next(1, 256);
                description.Append(" name-unterminated@").Append(name);
                break;
            case 3 when layout.StringLengths.Count > 0:
                var stringLength = Pick(layout.StringLengths);
                var declared = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(stringLength));
                int[] stringChoices = [0, -1, 1, declared - 1, declared + 1, declared + 1000, int.MaxValue, int.MinValue];
                var newLength = stringChoices[_random.Next(stringChoices.Length)];
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(stringLength), newLength);
                description.Append(" strlen@").Append(stringLength).Append('=').Append(newLength);
                break;
            case 4 when layout.StringStarts.Count > 0:
                // Invalid UTF-8 inside a string value, or a NUL inside it.
                var start = Pick(layout.StringStarts);
                var available = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(start - 4)) - 1;
                if (available >= 2)
                {
                    ReadOnlySpan<byte> bad = _random.Next(3) switch
                    {
                        0 => [0xC3, 0x28],
                        1 => [0xFF, 0xFE],
                        _ => [0x41, 0x00],
                    };
                    bad.CopyTo(bytes.AsSpan(start));
                    description.Append(" utf8@").Append(start);
                }

                break;
            case 5:
                var terminator = Pick(layout.DocumentTerminators);
                bytes[terminator] = (byte)_random.Next(1, 256);
                description.Append(" doc-unterminated@").Append(terminator);
                break;
            default:
                // A field name made invalid UTF-8 (or '$'-prefixed, which commands treat specially).
                var nameEnd = Pick(layout.NameTerminators);
                var position = Math.Max(0, nameEnd - 1);
                bytes[position] = _random.Next(2) == 0 ? (byte)0xFF : (byte)'$';
                description.Append(" name-byte@").Append(position);
                break;
        }
    }

    private void ChangeSectionKind(byte[] bytes, SeedMessage seed, StringBuilder description)
    {
        if (seed.Sections.Count == 0)
        {
            // OP_QUERY / OP_INSERT: damage the byte where an OP_MSG's first section would be.
            bytes[20] = (byte)_random.Next(256);
            description.Append(" byte20=").Append(bytes[20]);
            return;
        }

        var section = seed.Sections[_random.Next(seed.Sections.Count)];
        byte[] kinds = [0, 1, 2, 3, 0x7F, 0xFF, (byte)_random.Next(256)];
        var kind = kinds[_random.Next(kinds.Length)];
        bytes[section.KindOffset] = kind;
        description.Append(" kind@").Append(section.KindOffset).Append('=').Append(kind);
    }

    private byte[] RestructureSections(byte[] bytes, SeedMessage seed, StringBuilder description)
    {
        if (seed.OpCode != OpCode.Msg)
        {
            return InsertOrDelete(bytes, description);
        }

        var checksum = (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)) & (int)OpMsgFlags.ChecksumPresent) != 0;
        var sections = seed.Sections.Select(s => bytes.AsSpan(s.KindOffset, s.Length).ToArray()).ToList();
        var body = sections[0];
        switch (_random.Next(8))
        {
            case 0:
                sections.Add(body);
                description.Append(" two-bodies");
                break;
            case 1:
                sections.RemoveAt(0);
                description.Append(" no-body");
                break;
            case 2:
                sections.Clear();
                description.Append(" no-sections");
                break;
            case 3:
                sections.Add(Sequence("documents", [], sizeDelta: 0));
                sections.Add(Sequence("documents", [], sizeDelta: 0));
                description.Append(" duplicate-sequences");
                break;
            case 4:
                var delta = Pick([-1000, -6, -5, -1, 1, 7, 1000, int.MinValue / 2]);
                sections.Add(Sequence("documents", [FuzzCorpus.SampleDocuments(9)[0]], delta));
                description.Append(" sequence-size").Append(delta);
                break;
            case 5:
                // An identifier without its terminator, running to the end of the message.
                var unterminated = new byte[1 + 4 + 8];
                unterminated[0] = 1;
                BinaryPrimitives.WriteInt32LittleEndian(unterminated.AsSpan(1), unterminated.Length - 1);
                "docments"u8.CopyTo(unterminated.AsSpan(5));
                sections.Add(unterminated);
                description.Append(" identifier-unterminated");
                break;
            case 6:
                // A sequence whose only "document" is garbage.
                var garbage = RandomBytes(_random.Next(1, 40));
                sections.Add(Sequence("documents", [], 0, garbage));
                description.Append(" sequence-garbage");
                break;
            default:
                sections.Reverse();
                description.Append(" sections-reversed");
                break;
        }

        var length = 20 + sections.Sum(s => s.Length) + (checksum ? 4 : 0);
        var result = new byte[length];
        bytes.AsSpan(0, 20).CopyTo(result);
        BinaryPrimitives.WriteInt32LittleEndian(result, length);
        var offset = 20;
        foreach (var section in sections)
        {
            section.CopyTo(result, offset);
            offset += section.Length;
        }

        return result;
    }

    private static byte[] Sequence(string identifier, Bson.BsonDocument[] documents, int sizeDelta, byte[]? raw = null)
    {
        var name = Encoding.UTF8.GetBytes(identifier);
        var payload = raw ?? documents.SelectMany(Bson.IO.BsonCodec.ToBytes).ToArray();
        var section = new byte[1 + 4 + name.Length + 1 + payload.Length];
        section[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(section.AsSpan(1), section.Length - 1 + sizeDelta);
        name.CopyTo(section, 5);
        payload.CopyTo(section, 5 + name.Length + 1);
        return section;
    }

    private void ChangeFlags(byte[] bytes, SeedMessage seed, StringBuilder description)
    {
        int[] bits = [0, 1, 2, 3, 7, 15, 16, 17, 31];
        var flags = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        flags ^= 1 << bits[_random.Next(bits.Length)];
        if (_random.Next(4) == 0)
        {
            flags = _random.Next();
        }

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), flags);
        description.Append(" flags=0x").Append(flags.ToString("X8", System.Globalization.CultureInfo.InvariantCulture)).Append(seed.OpCode == OpCode.Msg ? string.Empty : " (not OP_MSG)");
    }

    private byte[] Truncate(byte[] bytes, bool fixLength, StringBuilder description)
    {
        var keep = _random.Next(3) == 0 ? _random.Next(0, Math.Min(bytes.Length, 24)) : _random.Next(0, bytes.Length);
        var result = bytes.AsSpan(0, keep).ToArray();
        if (fixLength && keep >= 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(result, keep);
        }

        description.Append(" keep=").Append(keep);
        return result;
    }

    private int PickLength(int actual)
    {
        return _random.Next(4) switch
        {
            0 => actual + _random.Next(1, 64),
            1 => Math.Max(0, actual - _random.Next(1, 64)),
            2 => _random.Next(),
            _ => InterestingInts[_random.Next(InterestingInts.Length)],
        };
    }

    private byte[] TrailingGarbage(byte[] bytes, StringBuilder description)
    {
        byte[] tail;
        if (_random.Next(3) == 0)
        {
            // Another (valid or damaged) message, or its first bytes.
            var other = FuzzCorpus.Seeds[_random.Next(FuzzCorpus.Seeds.Count)].Bytes;
            tail = other.AsSpan(0, _random.Next(1, other.Length + 1)).ToArray();
            description.Append(" +message[").Append(tail.Length).Append(']');
        }
        else
        {
            tail = RandomBytes(_random.Next(1, 64));
            description.Append(" +garbage[").Append(tail.Length).Append(']');
        }

        return [.. bytes, .. tail];
    }

    private byte[] InsertOrDelete(byte[] bytes, StringBuilder description)
    {
        byte[] result;
        var at = _random.Next(16, bytes.Length);
        if (_random.Next(2) == 0)
        {
            var extra = RandomBytes(_random.Next(1, 16));
            result = [.. bytes.AsSpan(0, at), .. extra, .. bytes.AsSpan(at)];
            description.Append(" insert@").Append(at).Append('[').Append(extra.Length).Append(']');
        }
        else
        {
            var count = Math.Min(bytes.Length - at, _random.Next(1, 16));
            result = [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
            description.Append(" delete@").Append(at).Append('[').Append(count).Append(']');
        }

        if (_random.Next(5) != 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        }

        return result;
    }

    private byte[] FramedGarbage(StringBuilder description)
    {
        var size = _random.Next(10) == 0 ? _random.Next(1000, 20_000) : _random.Next(0, 200);
        var bytes = RandomBytes(16 + size);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 0);
        var opCode = OpCodes[_random.Next(OpCodes.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), opCode);
        if (opCode == (int)OpCode.Msg && bytes.Length > 20 && _random.Next(2) == 0)
        {
            // Plausible flags and section kind, random "document".
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 0);
            bytes[20] = 0;
            if (bytes.Length >= 25)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(21), bytes.Length - 21);
            }
        }

        description.Append(" op=").Append(opCode).Append(" size=").Append(bytes.Length);
        return bytes;
    }

    private byte[] Splice(byte[] bytes, SeedMessage seed, StringBuilder description)
    {
        var other = FuzzCorpus.Seeds[_random.Next(FuzzCorpus.Seeds.Count)];
        var cutA = _random.Next(16, bytes.Length);
        var cutB = _random.Next(16, other.Bytes.Length);
        byte[] result = [.. bytes.AsSpan(0, cutA), .. other.Bytes.AsSpan(cutB)];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        description.Append(" splice ").Append(seed.Name).Append('[').Append(cutA).Append("] + ").Append(other.Name).Append('[').Append(cutB).Append("..]");
        return result;
    }

    private byte[] DeepNesting(StringBuilder description)
    {
        // {insert: "c", documents: [{a: {a: ... }}]} nested deeper than any limit, written by hand
        // (our encoder would be the first to refuse it).
        var depth = Pick([99, 100, 101, 199, 200, 201, 1000, 5000]);
        var inner = new byte[(8 * depth) + 5];
        for (var level = 0; level <= depth; level++)
        {
            // Level 0 is the outermost document; each level is {a: <next level>}, the last one {}.
            var offset = 7 * level;
            BinaryPrimitives.WriteInt32LittleEndian(inner.AsSpan(offset), (8 * (depth - level)) + 5);
            if (level < depth)
            {
                inner[offset + 4] = 0x03;
                inner[offset + 5] = (byte)'a';
            }
        }

        var body = Bson.IO.BsonCodec.ToBytes(new Bson.BsonDocument { { "insert", "c" }, { "$db", FuzzCorpus.Database } });
        var sequence = Sequence("documents", [], 0, inner);
        var length = 16 + 4 + 1 + body.Length + sequence.Length;
        var message = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(message, length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), _random.Next(1, int.MaxValue));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), (int)OpCode.Msg);
        message[20] = 0;
        body.CopyTo(message, 21);
        sequence.CopyTo(message, 21 + body.Length);
        description.Append(" depth=").Append(depth);
        return message;
    }

    private static bool IsChecksummedMsg(byte[] bytes)
        => bytes.Length >= 24
            && BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)) == (int)OpCode.Msg
            && (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)) & (int)OpMsgFlags.ChecksumPresent) != 0;

    private static void FixChecksum(byte[] bytes)
        => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
