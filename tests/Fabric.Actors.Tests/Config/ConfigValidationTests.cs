using Fabric.Actors.Config;

namespace Fabric.Actors.Tests.Config;

public class ConfigValidationTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Config", "Samples", name);

    [Fact]
    public void Valid_files_exit_zero_and_still_print_warnings()
    {
        var output = new StringWriter();
        var code = ConfigValidation.ValidateFiles([Sample("talos-controlplane.yaml"), Sample("multidoc.yaml")], output);
        Assert.Equal(0, code);
        Assert.Equal([$"{Sample("multidoc.yaml")}:84:7: kind: warning: kind KubeletConfig is not a network document; Fabric ignores it"],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_file_with_errors_exits_one_with_one_line_per_problem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fabric-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "machine:\n  network:\n    hostname: a_b\n    nameservers: [x]\n");
        try
        {
            var output = new StringWriter();
            Assert.Equal(1, ConfigValidation.ValidateFiles([path], output));
            Assert.Equal(
                [
                    $"{path}:3:15: machine.network.hostname: \"a_b\" is not a valid hostname: label \"a_b\" may only contain letters, digits and '-'",
                    $"{path}:4:19: machine.network.nameservers[0]: nameserver \"x\" is not an IP address (a resolver must be reachable without DNS)",
                ],
                output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var output = new StringWriter();
        Assert.Equal(1, ConfigValidation.ValidateFiles(["/nonexistent/fabric.yaml"], output));
        Assert.Equal("/nonexistent/fabric.yaml: cannot read config: file not found", output.ToString().Trim());
    }
}
