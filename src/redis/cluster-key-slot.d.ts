declare module 'cluster-key-slot' {
  /** The Cluster hash slot (0 to 16383) of a key, honouring a `{hash tag}`. */
  function calculateSlot(key: string | Buffer): number;
  export default calculateSlot;
}
