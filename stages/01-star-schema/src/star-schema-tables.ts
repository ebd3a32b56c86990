/** The tables of the star schema, dimensions first: the order they are built and exported in. */
export const starSchemaTables = ['dim_customer', 'dim_product', 'dim_store', 'dim_date', 'fact_sales'] as const;

/** One of {@link starSchemaTables}. */
export type StarSchemaTable = (typeof starSchemaTables)[number];
