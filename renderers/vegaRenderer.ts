// Placeholder until the Vega-Lite renderer lands.
export const activate = () => ({ renderOutputItem() {} });
