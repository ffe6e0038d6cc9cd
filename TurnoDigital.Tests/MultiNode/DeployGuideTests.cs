using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.MultiNode;

public class DeployGuideTests
{
    [Fact]
    public void The_deploy_guide_shows_the_nginx_configuration_the_test_bed_runs()
    {
        var guide = File.ReadAllText(Path.Combine(ProcessApp.SolutionFolder, "docs", "DEPLOY.md"));
        Assert.Contains("```nginx\n" + File.ReadAllText(NginxServer.SiteTemplate) + "```", guide);
    }
}
