using System.Buffers.Binary;
using DistributedSync.Bson;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class ChecksumTests
{
    private static byte[] Encoded() => WireMessageCodec.ToBytes(Samples.All["msg-checksum"]());

    [Fact]
    public void Encode_WithChecksumFlag_AppendsCrc32COfEverythingBefore()
    {
        var bytes = Encoded();

        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)) & 1u);
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void Encode_WithoutChecksumFlag_AppendsNothing()
    {
        var withChecksum = Samples.All["msg-checksum"]();
        var plain = (OpMsgMessage)withChecksum;
        var without = new OpMsgMessage(plain.Body, plain.Sequences, OpMsgFlags.None);

        Assert.Equal(Encoded().Length - 4, WireMessageCodec.ToBytes(without).Length);
    }

    [Fact]
    public void Decode_VerifiesAndAcceptsCorrectChecksum()
    {
        var decoded = Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(Encoded()));
        Assert.True(decoded.ChecksumPresent);
        Assert.Equal(2, decoded.Sequences[0].Documents.Count);
    }

    [Fact]
    public void Decode_TamperedChecksum_IsRejectedAtChecksumOffset()
    {
        var bytes = Encoded();
        bytes[^2] ^= 0x10;

        var e = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));
        Assert.Equal(bytes.Length - 4, e.Offset);
        Assert.Contains("checksum", e.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_AnyTamperedByteCoveredByChecksum_IsRejected()
    {
        var original = Encoded();

        // Every byte after the length field (a changed length is a framing error, caught first).
        for (var i = 4; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0x01;

            var e = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));

            // Except for the opCode (unsupported) and flag bits 0 and 8 (checksum flag cleared;
            // unknown required bit), the checksum comparison is what catches the change.
            if (i is < 12 or > 17)
            {
                Assert.Equal(bytes.Length - 4, e.Offset);
            }
        }
    }

    [Fact]
    public void Decode_ChecksumFlagWithBytesThatAreNotAValidCrc_IsRejected()
    {
        // A message built without room for a checksum but with the flag set: its last four
        // bytes (the end of the body) are taken as the checksum and do not match.
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(1).Byte(0).Document(new BsonDocument("a", 1)).Build();

        Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes));
    }

    [Fact]
    public void Decode_IndependentlyBuiltChecksummedMessage_IsAccepted()
    {
        var bytes = RawMessage.Start(OpCode.Msg).UInt32(1).Byte(0).Document(new BsonDocument("a", 1)).BuildWithChecksum();

        Assert.Equal(1, Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(bytes)).Body["a"].AsInt32);
    }
}
