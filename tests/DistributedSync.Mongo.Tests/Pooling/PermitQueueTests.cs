using DistributedSync.Mongo.Pooling;
using Xunit;

namespace DistributedSync.Mongo.Tests.Pooling;

public sealed class PermitQueueTests
{
    [Fact]
    public async Task Waiters_AreServedInArrivalOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new PermitQueue(1);
        Assert.True(queue.TryAcquire());
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 5).Select(async i =>
        {
            var task = queue.AcquireAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            Assert.True(await task);
            lock (order)
            {
                order.Add(i);
            }

            queue.Release();
        }).ToArray();

        Assert.Equal(5, queue.WaitingCount);
        queue.Release();
        await Task.WhenAll(waiters);

        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Equal(1, queue.Available);
    }

    [Fact]
    public async Task NewcomerDoesNotJumpTheQueue_WhenAPermitIsReleased()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new PermitQueue(1);
        Assert.True(queue.TryAcquire());
        var waiter = queue.AcquireAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);

        queue.Release();

        Assert.False(queue.TryAcquire());
        Assert.True(await waiter);
    }

    [Fact]
    public async Task TimedOutWaiter_ReturnsFalse_AndLeavesTheQueue()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new PermitQueue(0);

        Assert.False(await queue.AcquireAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, ct));

        Assert.Equal(0, queue.WaitingCount);
        queue.Release();
        Assert.Equal(1, queue.Available);
    }

    [Fact]
    public async Task Close_FailsWaiters()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new PermitQueue(0);
        var waiter = queue.AcquireAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);

        queue.Close();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiter);
        Assert.Throws<ObjectDisposedException>(() => queue.TryAcquire());
    }
}
