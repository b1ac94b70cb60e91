using Fabric.Actors.Controllers;

namespace Fabric.Actors.Tests.Controllers;

public sealed class InFlightRequestsTests
{
    [Fact]
    public void A_request_is_pending_until_its_status_arrives_and_then_forgotten()
    {
        var inFlight = new InFlightRequests<string>(TimeSpan.FromMinutes(1));
        inFlight.Requested("a");
        Assert.True(inFlight.Pending("a", present: false));
        Assert.False(inFlight.Pending("a", present: true));
        Assert.False(inFlight.Any);
        // Gone again later (deleted by hand): no longer pending, so the controller asks again.
        Assert.False(inFlight.Pending("a", present: false));
    }

    [Fact]
    public void A_request_whose_status_never_comes_is_retried_after_the_grace_period()
    {
        var inFlight = new InFlightRequests<string>(TimeSpan.Zero);
        inFlight.Requested("a");
        Assert.False(inFlight.Pending("a", present: false));
        Assert.False(inFlight.Any);
    }

    [Fact]
    public void Failed_and_unwanted_requests_are_dropped()
    {
        var inFlight = new InFlightRequests<string>(TimeSpan.FromMinutes(1));
        inFlight.Requested("a");
        inFlight.Requested("b");
        inFlight.Failed("a");
        Assert.False(inFlight.Pending("a", present: false));
        inFlight.Retain(new HashSet<string>());
        Assert.False(inFlight.Any);
    }
}
