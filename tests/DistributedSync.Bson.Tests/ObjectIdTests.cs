using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests;

public sealed class ObjectIdTests
{
    [Fact]
    public void Parse_AcceptsEitherCaseAndFormatsLowercase()
    {
        var id = ObjectId.Parse("507F1F77bcf86cd799439011");

        Assert.Equal("507f1f77bcf86cd799439011", id.ToString());
        Assert.Equal(Convert.FromHexString("507f1f77bcf86cd799439011"), id.ToByteArray());
        Assert.Equal(0x507F1F77u, id.Timestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x507F1F77), id.CreationTime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("507f1f77bcf86cd79943901")]
    [InlineData("507f1f77bcf86cd7994390111")]
    [InlineData("507f1f77bcf86cd79943901g")]
    [InlineData("507f1f77bcf86cd79943901 ")]
    [InlineData("0x7f1f77bcf86cd799439011")]
    public void Parse_RejectsAnythingButTwentyFourHexDigits(string text)
    {
        Assert.False(ObjectId.TryParse(text, out var id));
        Assert.Equal(ObjectId.Empty, id);
        Assert.Throws<FormatException>(() => ObjectId.Parse(text));
    }

    [Fact]
    public void TryParse_Null_IsFalse() => Assert.False(ObjectId.TryParse(null, out _));

    [Fact]
    public void Constructor_RequiresTwelveBytes()
    {
        Assert.Throws<ArgumentException>(() => new ObjectId(new byte[11]));
        Assert.Throws<ArgumentException>(() => new ObjectId(new byte[13]));
    }

    [Fact]
    public void ParseAndFormat_RoundTripForAnyId()
        => Prop.ForAll(Arb.From(BsonGen.ObjectIds), id =>
                ObjectId.Parse(id.ToString()) == id
                && ObjectId.Parse(id.ToString().ToUpperInvariant()) == id
                && new ObjectId(id.ToByteArray()) == id)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Ordering_IsBytewise()
        => Prop.ForAll(Arb.From(BsonGen.ObjectIds), Arb.From(BsonGen.ObjectIds), (a, b) =>
            {
                var expected = Math.Sign(a.ToByteArray().AsSpan().SequenceCompareTo(b.ToByteArray()));
                return Math.Sign(a.CompareTo(b)) == expected
                    && (a < b) == (expected < 0)
                    && (a > b) == (expected > 0)
                    && (a <= b) == (expected <= 0)
                    && (a >= b) == (expected >= 0)
                    && (a == b) == (expected == 0)
                    && (a.GetHashCode() == b.GetHashCode() || expected != 0);
            })
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Ordering_HighBitBytesSortAfterLowOnes()
    {
        // Bytes compare unsigned: 0x80 sorts after 0x7F in every position.
        for (var i = 0; i < 12; i++)
        {
            var low = new byte[12];
            var high = new byte[12];
            low[i] = 0x7F;
            high[i] = 0x80;
            Assert.True(new ObjectId(low) < new ObjectId(high), $"byte {i}");
        }
    }

    [Fact]
    public void GenerateNewId_UsesTheClockForTheTimestamp()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var id = ObjectId.GenerateNewId(clock);

        Assert.Equal(1_700_000_000u, id.Timestamp);
        Assert.Equal(new byte[] { 0x65, 0x53, 0xF1, 0x00 }, id.ToByteArray()[..4]);
    }

    [Fact]
    public void GenerateNewId_KeepsTheProcessPartAndAdvancesTheCounter()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ObjectId.GenerateNewId()).Select(i => i.ToByteArray()).ToList();

        var processPart = ids[0][4..9];
        Assert.All(ids, b => Assert.Equal(processPart, b[4..9]));
        for (var i = 1; i < ids.Count; i++)
        {
            // Other tests may generate ids concurrently, so the step is at least 1, not exactly 1.
            var step = (Counter(ids[i]) - Counter(ids[i - 1])) & 0xFFFFFF;
            Assert.InRange(step, 1, 1 << 20);
        }
    }

    [Fact]
    public void GenerateNewId_IsUniqueAcrossThreads()
    {
        const int Threads = 8;
        const int PerThread = 25_000;
        var all = new ConcurrentBag<ObjectId[]>();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            var mine = new ObjectId[PerThread];
            start.SignalAndWait(TestContext.Current.CancellationToken);
            for (var i = 0; i < mine.Length; i++)
            {
                mine[i] = ObjectId.GenerateNewId();
            }

            all.Add(mine);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        var ids = all.SelectMany(a => a).ToList();
        Assert.Equal(Threads * PerThread, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>
    /// The 5-byte middle part must be random per process, not derived from anything two processes
    /// share. A fresh load of the assembly re-runs the type initializer exactly as a new process
    /// would, so two fresh loads (and this one) must disagree (a 2^-40 chance of a false failure).
    /// </summary>
    [Fact]
    public void ProcessPart_IsChosenAtRandomForEachFreshLoad()
    {
        var here = ObjectId.GenerateNewId().ToByteArray()[4..9];
        var first = ProcessPartInFreshLoad();
        var second = ProcessPartInFreshLoad();

        Assert.NotEqual(Convert.ToHexString(here), Convert.ToHexString(first));
        Assert.NotEqual(Convert.ToHexString(first), Convert.ToHexString(second));
        Assert.NotEqual(Convert.ToHexString(here), Convert.ToHexString(second));
    }

    private static int Counter(byte[] id) => (id[9] << 16) | (id[10] << 8) | id[11];

    private static byte[] ProcessPartInFreshLoad()
    {
        var context = new AssemblyLoadContext("objectid-" + Guid.NewGuid(), isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(typeof(ObjectId).Assembly.Location);
            var type = assembly.GetType(typeof(ObjectId).FullName!, throwOnError: true)!;
            Assert.NotSame(typeof(ObjectId), type);
            var id = type.GetMethod(nameof(ObjectId.GenerateNewId), BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)!.Invoke(null, null)!;
            var hex = (string)type.GetMethod(nameof(ToString), Type.EmptyTypes)!.Invoke(id, null)!;
            return Convert.FromHexString(hex)[4..9];
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
