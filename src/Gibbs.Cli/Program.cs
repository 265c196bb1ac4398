// gibbs — the command-line tool. (Skeleton; commands land with the foundation issues.)
return 0;
