using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>Counters of a fuzz run (updated by several workers at once).</summary>
internal sealed class FuzzStats
{
    private long _inputs;
    private long _probed;
    private long _finished;
    private long _answered;
    private long _replies;
    private long _closed;
    private long _closedProbed;
    private long _silent;
    private long _connections;
    private long _slowestTicks;

    public ConcurrentDictionary<int, int> ErrorCodes { get; } = new();

    public long Inputs => Interlocked.Read(ref _inputs);

    /// <summary>Well-framed inputs, sent with a probe on a reused connection.</summary>
    public long Probed => Interlocked.Read(ref _probed);

    /// <summary>Inputs with broken framing, each on its own connection ended by the client.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>Inputs that got at least one reply.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public long Replies => Interlocked.Read(ref _replies);

    /// <summary>Inputs after which the connection was closed (by the server, or ended by the client after a broken frame).</summary>
    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>Well-framed inputs after which the server closed the connection.</summary>
    public long ClosedProbed => Interlocked.Read(ref _closedProbed);

    /// <summary>Well-framed inputs with no reply on a connection that stayed open (moreToCome, legacy writes).</summary>
    public long Silent => Interlocked.Read(ref _silent);

    public long Connections => Interlocked.Read(ref _connections);

    public TimeSpan SlowestInput => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    public long CountOf(int code) => ErrorCodes.GetValueOrDefault(code);

    public long Record(FuzzOutcome outcome, bool probed, TimeSpan elapsed)
    {
        Interlocked.Increment(ref probed ? ref _probed : ref _finished);
        if (outcome.Replies > 0)
        {
            Interlocked.Increment(ref _answered);
            Interlocked.Add(ref _replies, outcome.Replies);
        }

        if (outcome.Closed)
        {
            Interlocked.Increment(ref _closed);
            if (probed)
            {
                Interlocked.Increment(ref _closedProbed);
            }
        }
        else if (outcome.Replies == 0)
        {
            Interlocked.Increment(ref _silent);
        }

        foreach (var code in outcome.ErrorCodes)
        {
            ErrorCodes.AddOrUpdate(code, 1, (_, n) => n + 1);
        }

        long slowest;
        do
        {
            slowest = Interlocked.Read(ref _slowestTicks);
        }
        while (elapsed.Ticks > slowest && Interlocked.CompareExchange(ref _slowestTicks, elapsed.Ticks, slowest) != slowest);

        return Interlocked.Increment(ref _inputs);
    }

    public void Connected() => Interlocked.Increment(ref _connections);

    public string Summary(TimeSpan elapsed)
    {
        var codes = string.Join(", ", ErrorCodes.OrderByDescending(e => e.Value).Select(e => e.Key.ToString(CultureInfo.InvariantCulture) + "×" + e.Value.ToString(CultureInfo.InvariantCulture)));
        return new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Inputs:N0} inputs in {elapsed.TotalSeconds:F1} s ({Inputs / Math.Max(0.001, elapsed.TotalSeconds):N0}/s) over {Connections:N0} connections: ")
            .Append(CultureInfo.InvariantCulture, $"{Probed:N0} well-framed (sent with a probe), {Finished:N0} with broken framing; ")
            .Append(CultureInfo.InvariantCulture, $"{Answered:N0} answered ({Replies:N0} replies), {Closed:N0} closed the connection ({ClosedProbed:N0} of the well-framed ones), {Silent:N0} silent with the connection kept; ")
            .Append(CultureInfo.InvariantCulture, $"slowest input {SlowestInput.TotalMilliseconds:F0} ms; error codes in replies: {(codes.Length == 0 ? "none" : codes)}")
            .ToString();
    }
}

/// <summary>
/// Runs <see cref="FuzzSettings.Inputs"/> inputs against one server with
/// <see cref="FuzzSettings.Workers"/> concurrent workers. Each worker draws its inputs from its
/// own generator seeded from the run's seed and its index, so worker <c>w</c>'s input <c>i</c> is
/// the same in every run with that seed. Well-framed inputs share a connection (reopened when the
/// server closes it); the others get a connection each. An input that gets neither an answer
/// nor a close within <see cref="FuzzSettings.InputDeadline"/> is a hang and fails the run.
/// </summary>
internal sealed class FuzzRun(FuzzSettings settings, int port, CanaryConnection canary)
{
    public FuzzStats Stats { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var perWorker = (settings.Inputs + settings.Workers - 1) / settings.Workers;
        var workers = Enumerable.Range(0, settings.Workers)
            .Select(w => Task.Run(() => RunWorkerAsync(w, Math.Min(perWorker, settings.Inputs - (w * perWorker)), stop), CancellationToken.None))
            .ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            // The first real failure (not the cancellations it caused in the other workers).
            var failure = workers.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }
    }

    private async Task RunWorkerAsync(int worker, int count, CancellationTokenSource stop)
    {
        var token = stop.Token;
        var mutator = new MessageMutator(new Random(unchecked((settings.Seed * 31) + worker)));
        FuzzConnection? connection = null;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var input = mutator.Next();
                var probeId = -1 - (worker * 50_000_000) - i;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
                deadline.CancelAfter(FuzzSettings.InputDeadline);
                var started = Stopwatch.GetTimestamp();
                FuzzOutcome outcome;
                try
                {
                    if (input.FramingIntact)
                    {
                        if (connection is null)
                        {
                            connection = await FuzzConnection.ConnectAsync(port, deadline.Token);
                            Stats.Connected();
                        }

                        outcome = await connection.SendWithProbeAsync(input.Bytes, probeId, deadline.Token);
                        if (outcome.Closed)
                        {
                            connection.Dispose();
                            connection = null;
                        }
                    }
                    else
                    {
                        using var single = await FuzzConnection.ConnectAsync(port, deadline.Token);
                        Stats.Connected();
                        outcome = await single.SendAndFinishAsync(input.Bytes, deadline.Token);
                    }
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
                {
                    throw Failure($"Hang: neither an answer nor a close within {FuzzSettings.InputDeadline.TotalSeconds} s", worker, i, input, null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not FuzzFailureException)
                {
                    throw Failure("The client side of the fuzzer failed: " + ex.Message, worker, i, input, ex);
                }

                var total = Stats.Record(outcome, input.FramingIntact, Stopwatch.GetElapsedTime(started));
                if (total % FuzzSettings.CanaryEvery == 0)
                {
                    await canary.CheckAsync($"after {total:N0} inputs (worker {worker}, input {i}: {input.Description})", token);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private FuzzFailureException Failure(string what, int worker, int index, FuzzInput input, Exception? inner)
    {
        var message = $"{what}. Seed {settings.Seed} (set {FuzzSettings.SeedVariable}={settings.Seed} to replay), worker {worker}, input {index}: {input.Description}\n{input.Hex()}";
        return inner is null ? new FuzzFailureException(message) : new FuzzFailureException(message, inner);
    }
}
