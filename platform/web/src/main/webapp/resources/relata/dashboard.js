/*
 * Dashboard charts: a click on a bar, slice or point opens the list of the records behind it. The links come from the
 * widget's data-links attribute, one array per dataset with one link per category. Used as the extender of
 * PrimeFaces' p:chart.
 */
function relataChartLinks() {
    var widget = this.jq.closest('.widget');
    var links = [];
    try {
        links = JSON.parse(widget.attr('data-links') || '[]');
    } catch (e) {
        links = [];
    }
    var options = this.cfg.config.options = this.cfg.config.options || {};
    function linkOf(element) {
        var series = links[element.datasetIndex] || [];
        return series[element.index] || null;
    }
    options.onClick = function (event, elements) {
        if (elements.length) {
            var link = linkOf(elements[0]);
            if (link) {
                window.location.href = link;
            }
        }
    };
    options.onHover = function (event, elements) {
        var target = event.native ? event.native.target : null;
        if (target) {
            target.style.cursor = elements.length && linkOf(elements[0]) ? 'pointer' : 'default';
        }
    };
}
