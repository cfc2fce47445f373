using System.Buffers.Binary;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>The fuzz input generator itself: replayable from its seed, and covering every kind of damage.</summary>
public sealed class MessageMutatorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_inputs_so_a_failing_run_can_be_replayed()
    {
        var first = new MessageMutator(new Random(12345));
        var second = new MessageMutator(new Random(12345));
        var other = new MessageMutator(new Random(54321));
        var differences = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var a = first.Next();
            var b = second.Next();
            Assert.Equal(a.Description, b.Description);
            Assert.True(a.Bytes.AsSpan().SequenceEqual(b.Bytes), $"Input {i} differs between two generators with the same seed: {a.Description}");
            if (!a.Bytes.AsSpan().SequenceEqual(other.Next().Bytes))
            {
                differences++;
            }
        }

        Assert.True(differences > 2_500, $"Another seed gave {3_000 - differences} identical inputs out of 3,000.");
    }

    [Fact]
    public void Inputs_cover_every_strategy_both_framings_and_hostile_lengths()
    {
        var mutator = new MessageMutator(new Random(7));
        var inputs = Enumerable.Range(0, 20_000).Select(_ => mutator.Next()).ToList();

        string[] strategies =
        [
            "valid", "values", "bitflip", "overwrite", "bson", "section-kind", "section-structure", "flags", "truncate", "truncate-fixed",
            "length-field", "trailing-garbage", "insert-delete", "garbage-framed", "garbage-raw", "splice", "deep-nesting", "stacked",
        ];
        foreach (var strategy in strategies)
        {
            Assert.Contains(inputs, i => i.Description.Contains(": " + strategy, StringComparison.Ordinal));
        }

        Assert.InRange(inputs.Count(i => i.FramingIntact), 12_000, 19_000);
        Assert.Contains(inputs, i => i.Bytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(i.Bytes) == int.MaxValue);
        Assert.Contains(inputs, i => i.Bytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(i.Bytes) < 0);
        Assert.Contains(inputs, i => i.Bytes.Length < MessageHeader.Size);

        // Value mutations keep the frame and the BSON valid: the codec decodes them.
        var values = inputs.Where(i => i.Description.Contains(": values", StringComparison.Ordinal)).ToList();
        Assert.True(values.Count > 2_000, $"{values.Count} value mutations.");
        Assert.All(values, i => Assert.IsType<OpMsgMessage>(WireMessageCodec.Decode(i.Bytes)));
    }

    [Fact]
    public void No_input_names_the_protected_database()
    {
        var mutator = new MessageMutator(new Random(99));
        var name = System.Text.Encoding.UTF8.GetBytes(ProtectedDatabase.Name);
        for (var i = 0; i < 20_000; i++)
        {
            var input = mutator.Next();
            Assert.True(input.Bytes.AsSpan().IndexOf(name) < 0, $"Input {i} names the protected database: {input.Description}");
        }
    }
}
