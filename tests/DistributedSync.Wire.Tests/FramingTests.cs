using System.Buffers;
using DistributedSync.Wire.Tests.Support;

namespace DistributedSync.Wire.Tests;

public sealed class FramingTests
{
    private static readonly byte[] First = WireMessageCodec.ToBytes(Samples.All["msg-sequences"]());
    private static readonly byte[] Second = WireMessageCodec.ToBytes(Samples.All["reply-one"]());
    private static readonly byte[] Both = [.. First, .. Second];

    [Fact]
    public void TwoMessagesBackToBack_AreBothFramed_WhateverTheSegmentation()
    {
        for (var cut = 0; cut <= Both.Length; cut++)
        {
            var buffer = Segments.Split(Both, cut, cut / 2, cut + 7);

            Assert.True(WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out var one));
            Assert.True(WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out var two));
            Assert.False(WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out _));

            Assert.Equal(First, one.ToArray());
            Assert.Equal(Second, two.ToArray());
            Assert.True(buffer.IsEmpty);
            MessageAssert.Equivalent(Samples.All["msg-sequences"](), WireMessageCodec.Decode(one));
            MessageAssert.Equivalent(Samples.All["reply-one"](), WireMessageCodec.Decode(two));
        }
    }

    [Fact]
    public void IncompleteFrame_ConsumesNothing_AndReportsHowMuchIsNeeded()
    {
        for (var available = 0; available < First.Length; available++)
        {
            var buffer = new ReadOnlySequence<byte>(First, 0, available);

            Assert.False(WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out var frame));
            Assert.Equal(available, buffer.Length);
            Assert.True(frame.IsEmpty);
            Assert.Equal(available < 4 ? 4 : First.Length, WireFraming.RequiredLength(buffer, WireLimits.Default));
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(48_000_001)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(15)]
    public void HostileLength_IsRejectedAsSoonAsItsFourBytesArrive(int declared)
    {
        var bytes = BitConverter.GetBytes(declared);
        var buffer = new ReadOnlySequence<byte>(bytes);

        var e = Assert.Throws<WireProtocolException>(() => WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out _));
        Assert.Equal(0, e.Offset);
        Assert.Throws<WireProtocolException>(() => WireFraming.RequiredLength(new ReadOnlySequence<byte>(bytes), WireLimits.Default));
    }

    [Fact]
    public void LengthAboveCustomLimit_IsRejected_AndAtTheLimitIsFramed()
    {
        var atLimit = new WireLimits { MaxMessageSize = First.Length };
        var belowLimit = new WireLimits { MaxMessageSize = First.Length - 1 };
        var buffer = new ReadOnlySequence<byte>(First);

        Assert.True(WireFraming.TryReadFrame(ref buffer, atLimit, out _));
        buffer = new ReadOnlySequence<byte>(First);
        Assert.Throws<WireProtocolException>(() => WireFraming.TryReadFrame(ref buffer, belowLimit, out _));
    }

    [Fact]
    public void LengthSplitAcrossSegments_IsRead()
    {
        var buffer = Segments.ByteByByte(Both);

        Assert.True(WireFraming.TryReadFrame(ref buffer, WireLimits.Default, out var frame));
        Assert.Equal(First.Length, frame.Length);
        Assert.Equal(Second.Length, buffer.Length);
    }
}
