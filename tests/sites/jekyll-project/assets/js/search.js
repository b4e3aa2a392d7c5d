window.tidepoolSearch = function () {};
