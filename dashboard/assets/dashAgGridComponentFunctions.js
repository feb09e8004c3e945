/* Cell renderers for dash-ag-grid. Values are rendered as text or as links built from ids. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.ContextLink = function (props) {
  var href = String(props.value || "");
  if (href.indexOf("/sources/") !== 0) { return null; }
  return React.createElement("a", {href: href, className: "read-link"}, "Read in context");
};
