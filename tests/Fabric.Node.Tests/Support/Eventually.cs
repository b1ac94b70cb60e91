namespace Fabric.Node.Tests.Support;

/// <summary>Waits for something the agent does asynchronously, and says what it last saw when it gives up.</summary>
public static class Eventually
{
    public static Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> done, string what) =>
        EventuallyAsync<string>(read, done, what);

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        T last;
        while (!done(last = await read()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; last:\n{last}");
            await Task.Delay(50);
        }
        return last;
    }
}
