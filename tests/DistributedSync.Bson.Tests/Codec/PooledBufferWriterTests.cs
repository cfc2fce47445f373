using DistributedSync.Bson.IO;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Writes_GrowAndStayContiguous()
    {
        using var writer = new PooledBufferWriter(4);
        var expected = new List<byte>();

        for (var i = 0; i < 10_000; i++)
        {
            var span = writer.GetSpan(3);
            Assert.True(span.Length >= 3);
            span[0] = (byte)i;
            span[1] = (byte)(i >> 8);
            writer.Advance(2);
            expected.Add((byte)i);
            expected.Add((byte)(i >> 8));
        }

        Assert.Equal(20_000, writer.WrittenCount);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        Assert.Equal(expected, writer.WrittenMemory.ToArray());
        Assert.Equal(expected, writer.ToArray());
        Assert.True(writer.Capacity >= 20_000);
    }

    [Fact]
    public void GetMemory_HonoursTheSizeHint()
    {
        using var writer = new PooledBufferWriter(0);

        Assert.True(writer.GetMemory().Length >= 1);
        Assert.True(writer.GetMemory(1000).Length >= 1000);
        Assert.True(writer.GetSpan(100_000).Length >= 100_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetSpan(-1));
    }

    [Fact]
    public void Advance_BeyondTheSpan_IsRejected()
    {
        using var writer = new PooledBufferWriter(16);
        var free = writer.GetSpan(1).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(free + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Patch_ClearAndTruncate_WorkOnWrittenBytes()
    {
        using var writer = new PooledBufferWriter();
        writer.Write([0, 0, 0, 0, 9, 8, 7]);

        writer.GetWrittenSpanToPatch(0, 4).Fill(0xEE);
        Assert.Equal([0xEE, 0xEE, 0xEE, 0xEE, 9, 8, 7], writer.WrittenSpan.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetWrittenSpanToPatch(5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetWrittenSpanToPatch(-1, 1));

        writer.Truncate(5);
        Assert.Equal([0xEE, 0xEE, 0xEE, 0xEE, 9], writer.WrittenSpan.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Truncate(6));

        writer.Clear();
        Assert.Equal(0, writer.WrittenCount);
        Assert.True(writer.FreeCapacity > 0);
    }

    [Fact]
    public void Dispose_ReturnsTheBufferAndForbidsFurtherUse()
    {
        var writer = new PooledBufferWriter();
        writer.Write([1, 2, 3]);

        writer.Dispose();
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => writer.WrittenSpan.ToArray());
        Assert.Throws<ObjectDisposedException>(() => writer.Advance(0));
    }
}
