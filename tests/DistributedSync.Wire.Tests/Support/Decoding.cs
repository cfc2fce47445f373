using System.Buffers;

namespace DistributedSync.Wire.Tests.Support;

/// <summary>Decodes through every entry point and insists on the single exception type.</summary>
internal static class Decoding
{
    /// <summary>
    /// Asserts that decoding <paramref name="bytes"/> raises <see cref="WireProtocolException"/>
    /// (exactly that type) from the span decoder and the multi-segment decoder alike, with the
    /// same offset, within the input; returns the span decoder's exception.
    /// </summary>
    public static WireProtocolException Rejects(byte[] bytes, WireLimits? limits = null)
    {
        var e = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(bytes, limits));
        var fromSequence = Assert.Throws<WireProtocolException>(() => WireMessageCodec.Decode(Segments.Split(bytes, 1, 5, 17, 21, bytes.Length - 3), limits));
        Assert.Equal(e.Offset, fromSequence.Offset);
        Assert.InRange(e.Offset, 0, Math.Max(bytes.Length, MessageHeader.Size));
        return e;
    }

    /// <summary>Decodes from a span and from a multi-segment sequence; both must succeed alike.</summary>
    public static WireMessage Accepts(byte[] bytes, WireLimits? limits = null)
    {
        var message = WireMessageCodec.Decode(bytes, limits);
        MessageAssert.Equivalent(message, WireMessageCodec.Decode(Segments.Split(bytes, 2, 19, bytes.Length - 1), limits));
        return message;
    }

    /// <summary>Decodes from a sequence when the caller already has one.</summary>
    public static WireMessage Decode(in ReadOnlySequence<byte> bytes, WireLimits? limits = null) => WireMessageCodec.Decode(bytes, limits);
}
